//! `calculator`: arithmetic the model should not do in its head. exmex parses the
//! expression into numbers and operators only; nothing in it can name a variable, a
//! file or code. Expressions longer or more deeply nested than any sum a person needs
//! are refused before exmex sees them, so that a model talked into it cannot make the
//! parser use time or stack without end.

use exmex::{Express, FlatEx, FloatOpsFactory, MatchLiteral};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{arguments, Tool};

pub struct Calculator;

#[derive(Deserialize)]
struct Arguments {
    expression: String,
}

/// exmex's own number literals have no exponent, and models write `1e6`.
#[derive(Debug, Clone)]
struct Decimal;

impl MatchLiteral for Decimal {
    fn is_literal(text: &str) -> Option<&str> {
        let bytes = text.as_bytes();
        let digits = |from: usize| {
            from + bytes[from..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count()
        };
        let whole = digits(0);
        let mut end = whole;
        if bytes.get(end) == Some(&b'.') {
            end = digits(end + 1);
        }
        if end == 0 || (whole == 0 && end == 1) {
            return None;
        }
        if matches!(bytes.get(end), Some(b'e' | b'E')) {
            let sign = usize::from(matches!(bytes.get(end + 1), Some(b'+' | b'-')));
            let exponent = digits(end + 1 + sign);
            if exponent > end + 1 + sign {
                end = exponent;
            }
        }
        Some(&text[..end])
    }
}

type Expression = FlatEx<f64, FloatOpsFactory<f64>, Decimal>;

/// The longest expression calculated, in characters.
pub const MAX_EXPRESSION_CHARS: usize = 1000;

/// The deepest nesting of parentheses calculated.
pub const MAX_NESTING: usize = 64;

/// Refuses an expression too long or too deeply nested to be worth parsing.
fn check_size(expression: &str) -> Result<(), String> {
    let chars = expression.chars().count();
    if chars > MAX_EXPRESSION_CHARS {
        return Err(format!(
            "The expression is too long ({chars} characters); the calculator takes at most \
             {MAX_EXPRESSION_CHARS}. Split the calculation into smaller steps."
        ));
    }
    let mut depth = 0usize;
    for c in expression.chars() {
        match c {
            '(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(format!(
                        "The expression nests parentheses too deeply (more than \
                         {MAX_NESTING} levels). Split the calculation into smaller steps."
                    ));
                }
            }
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// The value of `expression`, or why there is none.
pub fn evaluate(expression: &str) -> Result<f64, String> {
    check_size(expression)?;
    let parsed = Expression::parse(expression)
        .map_err(|err| format!("{expression:?} is not an expression I can calculate: {err}"))?;
    if let Some(name) = parsed.var_names().first() {
        return Err(format!(
            "{expression:?} uses {name:?}, which is not a number or a known function"
        ));
    }
    let value = parsed
        .eval(&[])
        .map_err(|err| format!("{expression:?} cannot be calculated: {err}"))?;
    if !value.is_finite() {
        return Err(format!(
            "{expression:?} has no finite value (a division by zero, or a number too large)"
        ));
    }
    Ok(value)
}

/// Whole numbers without a fraction, others to 12 significant digits so that
/// `0.1+0.2` reads `0.3`; very large or small ones in exponent notation.
fn format(value: f64) -> String {
    let rounded: f64 = format!("{value:.11e}").parse().unwrap_or(value);
    let magnitude = rounded.abs();
    if rounded == 0.0 {
        "0".into()
    } else if (1e-6..1e15).contains(&magnitude) {
        rounded.to_string()
    } else {
        format!("{rounded:e}")
    }
}

impl Tool for Calculator {
    fn name(&self) -> &str {
        "calculator"
    }

    fn description(&self) -> &str {
        "Evaluates an arithmetic expression exactly as written and returns the number. \
         Use it for any arithmetic instead of working it out yourself. Numbers may have \
         decimals and exponents (2.5, 1e6); operators are + - * / and ^ (power), with \
         parentheses. As in spreadsheets, a leading minus applies before ^ and ^ is \
         evaluated left to right, so write -(2^2) or 2^(3^2) when that is meant. \
         Functions: sqrt, abs, exp, ln, log10, log2, sin, cos, tan (radians), round, \
         floor, ceil; constants PI and E."
    }

    fn parameters(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "expression": {
                    "type": "string",
                    "description": "The expression, for example (12.5 + 3) * 4 / 2",
                },
            },
            "required": ["expression"],
            "additionalProperties": false,
        })
    }

    fn run(&self, args: &Value) -> Result<String, String> {
        let Arguments { expression } = arguments(self.name(), args)?;
        evaluate(&expression).map(format)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calc(expression: &str) -> Result<String, String> {
        evaluate(expression).map(format)
    }

    #[test]
    fn precedence_parentheses_and_unary_minus() {
        for (expression, expected) in [
            ("12*7", "84"),
            ("2+3*4", "14"),
            ("(2+3)*4", "20"),
            ("10-4-3", "3"),
            ("2*(3+(4-1))/3", "4"),
            ("-3+5", "2"),
            ("2*-3", "-6"),
            ("-(2+3)", "-5"),
            ("3 - -2", "5"),
            ("2^10", "1024"),
            ("2^(3^2)", "512"),
            ("-(2^2)", "-4"),
            ("  (1 + 2) * 3  ", "9"),
        ] {
            assert_eq!(calc(expression), Ok(expected.into()), "{expression}");
        }
    }

    #[test]
    fn decimals_exponents_and_functions() {
        for (expression, expected) in [
            ("1.5+2.25", "3.75"),
            ("7/2", "3.5"),
            ("0.1+0.2", "0.3"),
            (".5*4", "2"),
            ("1e3+1", "1001"),
            ("2.5E-3*2", "0.005"),
            ("1e20*3", "3e20"),
            ("1/3", "0.333333333333"),
            ("sqrt(16)", "4"),
            ("2*PI", "6.28318530718"),
        ] {
            assert_eq!(calc(expression), Ok(expected.into()), "{expression}");
        }
    }

    #[test]
    fn division_by_zero_and_garbage_are_errors() {
        for expression in ["1/0", "0/0", "5/(2-2)"] {
            let err = calc(expression).unwrap_err();
            assert!(err.contains("division by zero"), "{expression}: {err}");
        }
        for expression in [
            "",
            "2+",
            "(1+2",
            "1+2)",
            "2 3",
            "1,5",
            "hello",
            "x+1",
            "rm -rf /",
            "std::process::exit(1)",
            "\"text\"",
            "1e",
        ] {
            assert!(calc(expression).is_err(), "{expression:?} was accepted");
        }
        assert!(calc("hello").unwrap_err().contains("\"hello\""));
    }

    #[test]
    fn the_tool_reads_its_arguments() {
        let run = |args: Value| Calculator.run(&args);
        assert_eq!(run(json!({"expression": "(1+2)*3"})), Ok("9".into()));
        assert!(run(json!({"expression": 12})).is_err());
        assert!(run(json!({})).is_err());
    }

    #[test]
    fn a_long_expression_is_refused_before_parsing() {
        // At the limit it is calculated: 500 ones added up.
        let sum = vec!["1"; 500].join("+");
        assert_eq!(sum.chars().count(), 999);
        assert_eq!(calc(&sum), Ok("500".into()));
        let padded = format!("{sum} ");
        assert_eq!(padded.chars().count(), MAX_EXPRESSION_CHARS);
        assert_eq!(calc(&padded), Ok("500".into()));

        let long = format!("{sum}+1");
        let err = calc(&long).unwrap_err();
        assert_eq!(
            err,
            "The expression is too long (1001 characters); the calculator takes at most \
             1000. Split the calculation into smaller steps."
        );
        // Characters are counted, not bytes, and the expression is not echoed back.
        let wide = "\u{3000}".repeat(600) + "1";
        assert!(wide.len() > MAX_EXPRESSION_CHARS);
        let err = calc(&wide).unwrap_err();
        assert!(!err.contains("too long"), "{err}");
        let err = calc(&("\u{3000}".repeat(1000) + "1")).unwrap_err();
        assert!(err.contains("(1001 characters)"), "{err}");
        let huge = "9".repeat(1_000_000);
        let err = calc(&huge).unwrap_err();
        assert!(err.starts_with("The expression is too long"), "{err}");
        assert!(err.len() < 200, "{err}");
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let nested = |depth: usize| format!("{}1{}", "(".repeat(depth), ")".repeat(depth));
        assert_eq!(calc(&nested(MAX_NESTING)), Ok("1".into()));
        let functions = format!("{}4{}", "abs(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        assert_eq!(calc(&functions), Ok("4".into()));
        for expression in [
            nested(MAX_NESTING + 1),
            nested(400),
            "(".repeat(999),
            format!("{}4{}", "sqrt(".repeat(65), ")".repeat(65)),
        ] {
            let err = calc(&expression).unwrap_err();
            assert_eq!(
                err,
                "The expression nests parentheses too deeply (more than 64 levels). Split \
                 the calculation into smaller steps.",
                "{expression}"
            );
        }
        // Side by side is not nested.
        let side_by_side = vec!["(1)"; 100].join("+");
        assert_eq!(calc(&side_by_side), Ok("100".into()));
    }

    #[test]
    fn long_chains_within_the_limits_stay_cheap() {
        // What fits in 1000 characters without nesting: unary signs, powers, functions.
        for expression in [
            format!("{}1", "-".repeat(999)),
            vec!["2"; 500].join("^"),
            vec!["sqrt(2)"; 120].join("*"),
        ] {
            let started = std::time::Instant::now();
            let _ = calc(&expression);
            assert!(
                started.elapsed() < std::time::Duration::from_secs(2),
                "{expression}"
            );
        }
    }
}
