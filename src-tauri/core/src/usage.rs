//! What an answer used and cost. The cost is the gateway's own figure when it sends
//! one, else the model's published prices times the tokens; with neither, it is
//! unknown and shown as nothing, never guessed.

use foxtail_engine::{Pricing, Usage};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum CostSource {
    /// The gateway said what the answer cost (`usage.cost`).
    Gateway,
    /// Worked out from the prices the gateway's model list publishes.
    Prices,
}

/// An answer's usage as saved with it and shown under it: the sum over its model turns
/// (a tool loop has several) and attempts (a resumed stream is billed again).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AnswerUsage {
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cache_read_tokens: u64,
    pub cache_write_tokens: u64,
    pub reasoning_tokens: u64,
    /// US dollars; `None` when neither the gateway nor a price list says.
    #[ts(type = "number | null")]
    pub cost: Option<f64>,
    pub cost_source: Option<CostSource>,
    /// What reading from the prompt cache saved, in US dollars, where prices are known.
    #[ts(type = "number | null")]
    pub cache_saving: Option<f64>,
}

impl AnswerUsage {
    pub fn new(used: &Usage, pricing: Option<&Pricing>) -> Self {
        let (cost, cost_source) = match (used.cost, pricing) {
            (Some(cost), _) => (Some(cost), Some(CostSource::Gateway)),
            (None, Some(prices)) => (Some(prices.cost_of(used)), Some(CostSource::Prices)),
            (None, None) => (None, None),
        };
        AnswerUsage {
            input_tokens: used.input_tokens,
            output_tokens: used.output_tokens,
            cache_read_tokens: used.cache_read_tokens,
            cache_write_tokens: used.cache_write_tokens,
            reasoning_tokens: used.reasoning_tokens,
            cost,
            cost_source,
            cache_saving: pricing
                .map(|prices| prices.cache_saving(used))
                .filter(|saved| *saved > 0.0),
        }
    }

    /// The counts back as the engine's usage, so that a continued answer adds to them.
    /// Only a gateway's own cost carries over: a cost from prices is worked out again
    /// over the sum.
    pub fn as_usage(&self) -> Usage {
        Usage {
            input_tokens: self.input_tokens,
            output_tokens: self.output_tokens,
            cache_read_tokens: self.cache_read_tokens,
            cache_write_tokens: self.cache_write_tokens,
            reasoning_tokens: self.reasoning_tokens,
            cost: self
                .cost
                .filter(|_| self.cost_source == Some(CostSource::Gateway)),
        }
    }
}

/// Usage summed as it arrives, with the prices (if known) to cost it.
#[derive(Debug, Default)]
pub struct UsageTally {
    sum: Option<Usage>,
    pricing: Option<Pricing>,
}

impl UsageTally {
    pub fn starting_from(earlier: Option<&AnswerUsage>) -> Self {
        UsageTally {
            sum: earlier.map(AnswerUsage::as_usage),
            pricing: None,
        }
    }

    pub fn add(&mut self, used: &Usage) {
        match &mut self.sum {
            Some(sum) => sum.add(used),
            None => self.sum = Some(*used),
        }
    }

    pub fn set_pricing(&mut self, pricing: Option<Pricing>) {
        self.pricing = pricing;
    }

    /// Whether a cost could still be had from prices the tally does not have yet.
    pub fn wants_prices(&self) -> bool {
        self.pricing.is_none() && self.sum.is_some_and(|sum| sum.cost.is_none())
    }

    pub fn report(&self) -> Option<AnswerUsage> {
        self.sum
            .as_ref()
            .map(|sum| AnswerUsage::new(sum, self.pricing.as_ref()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRICES: Pricing = Pricing {
        prompt: 3e-6,
        completion: 15e-6,
        cache_read: Some(0.3e-6),
        cache_write: Some(3.75e-6),
    };

    fn usage(input: u64, output: u64, read: u64, write: u64, cost: Option<f64>) -> Usage {
        Usage {
            input_tokens: input,
            output_tokens: output,
            cache_read_tokens: read,
            cache_write_tokens: write,
            reasoning_tokens: 0,
            cost,
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn cost_from_prices_bills_cached_tokens_at_the_cache_prices() {
        // 10,000 input of which 6,000 read from the cache and 1,000 written to it,
        // 500 output: 3,000 × $3/M + 6,000 × $0.30/M + 1,000 × $3.75/M + 500 × $15/M
        // = 0.009 + 0.0018 + 0.00375 + 0.0075 = $0.02205.
        let report = AnswerUsage::new(&usage(10_000, 500, 6_000, 1_000, None), Some(&PRICES));
        assert!(close(report.cost.unwrap(), 0.02205), "{:?}", report.cost);
        assert_eq!(report.cost_source, Some(CostSource::Prices));
        // 6,000 × ($3 − $0.30)/M = $0.0162.
        assert!(close(report.cache_saving.unwrap(), 0.0162));
    }

    #[test]
    fn the_gateways_own_figure_wins_and_nothing_is_made_up() {
        let report = AnswerUsage::new(&usage(10, 5, 0, 0, Some(0.0123)), Some(&PRICES));
        assert_eq!(report.cost, Some(0.0123));
        assert_eq!(report.cost_source, Some(CostSource::Gateway));
        let unknown = AnswerUsage::new(&usage(10, 5, 0, 0, None), None);
        assert_eq!(unknown.cost, None);
        assert_eq!(unknown.cost_source, None);
        assert_eq!(unknown.cache_saving, None);
    }

    #[test]
    fn turns_add_up_and_a_continued_answer_adds_to_what_it_had() {
        let mut tally = UsageTally::default();
        assert!(tally.report().is_none());
        assert!(!tally.wants_prices());
        tally.add(&usage(1_000, 100, 0, 0, None));
        tally.add(&usage(1_200, 50, 1_000, 0, None));
        assert!(tally.wants_prices());
        tally.set_pricing(Some(PRICES));
        let report = tally.report().unwrap();
        assert_eq!(
            (
                report.input_tokens,
                report.output_tokens,
                report.cache_read_tokens
            ),
            (2_200, 150, 1_000)
        );
        // 1,200 × $3/M + 1,000 × $0.30/M + 150 × $15/M = 0.0036 + 0.0003 + 0.00225.
        assert!(close(report.cost.unwrap(), 0.00615));

        let mut continued = UsageTally::starting_from(Some(&report));
        continued.set_pricing(Some(PRICES));
        continued.add(&usage(100, 10, 0, 0, None));
        assert_eq!(continued.report().unwrap().input_tokens, 2_300);

        // Gateway costs add up; one part without one makes the sum unknown to the
        // gateway, so prices are used for the whole.
        let mut mixed = UsageTally::default();
        mixed.add(&usage(10, 1, 0, 0, Some(0.5)));
        mixed.add(&usage(10, 1, 0, 0, Some(0.25)));
        assert_eq!(mixed.report().unwrap().cost, Some(0.75));
        mixed.add(&usage(10, 1, 0, 0, None));
        assert_eq!(mixed.report().unwrap().cost, None);
    }
}
