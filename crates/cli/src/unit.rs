//! The helpdesk's time unit on the command line: which one to store (the one given, checked
//! against the helpdesk's setting) and how `--unit` writes it. Used by `connections add` and
//! `connections confirm-unit`.

use timebridge_core::sync::time::TimeUnit;

use crate::failure::Failure;

/// The unit to store: the one given, checked against the helpdesk's setting (`None` without
/// a check), or that setting's unit when none is given. A difference needs `confirmed`: a 15
/// booked as minutes would otherwise become 15 hours, or the other way round.
pub(crate) fn unit_for(
    given: Option<&TimeUnit>,
    zammad: Option<&str>,
    confirmed: bool,
) -> Result<TimeUnit, Failure> {
    let known = zammad.and_then(TimeUnit::of_zammad_setting);
    match (given, known) {
        (None, Some(unit)) => Ok(unit),
        (None, None) => Err(Failure::usage(
            "unit_required",
            match zammad {
                Some(label) => format!(
                    "this helpdesk's time accounting unit is {label:?}, which only you know the meaning of: say what one unit is with --unit (minutes, hours, quarter_hours or custom:<minutes per unit>)"
                ),
                None => "without a check the helpdesk's unit is not known: say what one unit is with --unit (minutes, hours, quarter_hours or custom:<minutes>)"
                    .to_string(),
            },
        )),
        (Some(given), Some(unit)) if *given != unit && !confirmed => Err(Failure::usage(
            "unit_differs",
            format!(
                "this helpdesk's time accounting unit is {:?}, but --unit says {}: an entry of 15 would be booked as {} instead of {}. Leave --unit out to use the helpdesk's unit, or add --unit-differs-from-zammad to keep yours",
                zammad.unwrap_or_default(),
                unit_word(given),
                given.fifteen_in_words(),
                unit.fifteen_in_words()
            ),
        )),
        (Some(given), _) => Ok(given.clone()),
    }
}

/// The unit as `--unit` takes it.
pub(crate) fn unit_word(unit: &TimeUnit) -> String {
    match unit {
        TimeUnit::Minutes => "minutes".into(),
        TimeUnit::Hours => "hours".into(),
        TimeUnit::QuarterHours => "quarter_hours".into(),
        TimeUnit::Custom { minutes_per_unit } => format!("custom:{minutes_per_unit}"),
    }
}
