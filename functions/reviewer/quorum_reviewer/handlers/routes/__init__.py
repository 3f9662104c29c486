"""HTTP routes of the reviewer API, one Powertools Router per area."""
