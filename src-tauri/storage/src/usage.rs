use serde::Serialize;

use crate::{Storage, StorageError};

/// What the answers of one day or one model used, summed from the usage saved with
/// each answer (`extras.usage`). `cost` sums the answers whose cost was known;
/// `uncosted` counts those whose cost was not, so a total is never passed off as whole.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct UsageRow {
    /// `YYYY-MM-DD` in local time, or a model id.
    pub key: String,
    pub answers: i64,
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub cost: f64,
    pub uncosted: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct UsageTotals {
    /// The most recent days first (at most 90).
    pub by_day: Vec<UsageRow>,
    /// The most costly models first.
    pub by_model: Vec<UsageRow>,
}

/// The answers with usage, as rows of (day, model, input, output, cost or NULL). An
/// answer saved before usage was kept has `extras` that may be empty, not JSON: CASE
/// keeps `json_extract` from ever seeing it.
const ANSWERS: &str = "
    SELECT date(created_at / 1000, 'unixepoch', 'localtime') AS day,
           COALESCE(model, '') AS model,
           COALESCE(json_extract(x, '$.usage.input_tokens'), 0) AS input,
           COALESCE(json_extract(x, '$.usage.output_tokens'), 0) AS output,
           json_extract(x, '$.usage.cost') AS cost
    FROM (SELECT created_at, model,
                 CASE WHEN json_valid(extras) THEN extras END AS x
          FROM messages WHERE role = 'assistant')
    WHERE json_extract(x, '$.usage') IS NOT NULL";

impl Storage {
    /// The usage saved with each answer of a conversation that has one, as
    /// (message id, the `extras.usage` JSON), oldest first: a long conversation's running
    /// total, while only a page of it is read.
    pub fn conversation_usages(
        &self,
        conversation_id: i64,
    ) -> Result<Vec<(i64, String)>, StorageError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, json_extract(x, '$.usage') FROM
               (SELECT id, CASE WHEN json_valid(extras) THEN extras END AS x
                FROM messages WHERE conversation_id = ?1 AND role = 'assistant')
             WHERE json_extract(x, '$.usage') IS NOT NULL ORDER BY id",
        )?;
        let rows = stmt.query_map([conversation_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn usage_totals(&self) -> Result<UsageTotals, StorageError> {
        let conn = self.conn();
        let rows = |group: &str, order: &str, limit: i64| -> Result<Vec<UsageRow>, StorageError> {
            let sql = format!(
                "SELECT {group}, COUNT(*), SUM(input), SUM(output), TOTAL(cost),
                        SUM(cost IS NULL)
                 FROM ({ANSWERS}) GROUP BY {group} ORDER BY {order} LIMIT {limit}"
            );
            let mut stmt = conn.prepare(&sql)?;
            let rows = stmt.query_map([], |row| {
                Ok(UsageRow {
                    key: row.get(0)?,
                    answers: row.get(1)?,
                    input_tokens: row.get(2)?,
                    output_tokens: row.get(3)?,
                    cost: row.get(4)?,
                    uncosted: row.get(5)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        Ok(UsageTotals {
            by_day: rows("day", "day DESC", 90)?,
            by_model: rows(
                "model",
                "TOTAL(cost) DESC, SUM(input) + SUM(output) DESC",
                200,
            )?,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::{MessageStatus, NewMessage, Role, Storage};

    fn answer(storage: &Storage, conversation: i64, model: &str, extras: &str) {
        let m = storage
            .add_message(
                conversation,
                NewMessage {
                    role: Role::Assistant,
                    content: "x",
                    status: MessageStatus::Complete,
                    model: Some(model),
                },
            )
            .unwrap();
        storage.update_extras(m.id, extras).unwrap();
    }

    #[test]
    fn totals_sum_known_costs_and_count_the_unknown_ones() {
        let storage = Storage::open_in_memory().unwrap();
        let c = storage.create_conversation("t").unwrap().id;
        answer(
            &storage,
            c,
            "a",
            r#"{"usage":{"input_tokens":100,"output_tokens":10,"cost":0.5}}"#,
        );
        answer(
            &storage,
            c,
            "a",
            r#"{"usage":{"input_tokens":50,"output_tokens":5,"cost":0.25}}"#,
        );
        answer(
            &storage,
            c,
            "b",
            r#"{"usage":{"input_tokens":7,"output_tokens":3,"cost":null}}"#,
        );
        // Before usage was kept, and not JSON at all: neither counts, neither fails.
        answer(&storage, c, "b", "");
        answer(&storage, c, "b", r#"{"tools":[]}"#);

        let totals = storage.usage_totals().unwrap();
        assert_eq!(totals.by_day.len(), 1);
        let day = &totals.by_day[0];
        assert_eq!(
            (day.answers, day.input_tokens, day.output_tokens),
            (3, 157, 18)
        );
        assert!((day.cost - 0.75).abs() < 1e-12);
        assert_eq!(day.uncosted, 1);
        assert_eq!(day.key.len(), 10, "{}", day.key);
        let models: Vec<_> = totals
            .by_model
            .iter()
            .map(|r| (r.key.as_str(), r.answers, r.uncosted))
            .collect();
        assert_eq!(models, vec![("a", 2, 0), ("b", 1, 1)]);
    }
}
