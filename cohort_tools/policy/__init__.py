"""Rules every output follows: small-count privacy and the demographic data standards."""
