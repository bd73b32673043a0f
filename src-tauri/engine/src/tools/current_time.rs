//! `current_time`: models do not know when "now" is, nor where the person is.

use jiff::ZonedDateTime;
use serde_json::{json, Value};

use super::Tool;

pub struct CurrentTime;

/// `Sunday 2025-06-01 14:03:22, time zone Europe/Berlin (UTC+02:00)`.
fn describe(now: &ZonedDateTime) -> String {
    let zone = match now.time_zone().iana_name() {
        Some(name) => format!("time zone {name}"),
        None => "local time zone (its name is not known)".to_owned(),
    };
    format!(
        "{}, {zone} (UTC{})",
        now.strftime("%A %Y-%m-%d %H:%M:%S"),
        now.strftime("%:z")
    )
}

impl Tool for CurrentTime {
    fn name(&self) -> &str {
        "current_time"
    }

    fn description(&self) -> &str {
        "Returns the person's current local date, time of day, weekday and time zone \
         (its IANA name and UTC offset)."
    }

    fn parameters(&self) -> Value {
        json!({"type": "object", "properties": {}, "additionalProperties": false})
    }

    fn run(&self, _: &Value) -> Result<String, String> {
        Ok(describe(&ZonedDateTime::now()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_time_and_zone_name_are_given() {
        let summer: ZonedDateTime = "2025-06-01T14:03:22[Europe/Berlin]".parse().unwrap();
        assert_eq!(
            describe(&summer),
            "Sunday 2025-06-01 14:03:22, time zone Europe/Berlin (UTC+02:00)"
        );
        let seoul: ZonedDateTime = "2024-12-31T23:59:59[Asia/Seoul]".parse().unwrap();
        assert_eq!(
            describe(&seoul),
            "Tuesday 2024-12-31 23:59:59, time zone Asia/Seoul (UTC+09:00)"
        );
    }

    #[test]
    fn now_is_now() {
        let text = CurrentTime.run(&json!({})).unwrap();
        let year = ZonedDateTime::now().year().to_string();
        assert!(text.contains(&year), "{text}");
        assert!(text.contains("UTC"), "{text}");
    }
}
