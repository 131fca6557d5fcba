"""The domain model: the programme, cohorts, the coaching record and the calendar."""
