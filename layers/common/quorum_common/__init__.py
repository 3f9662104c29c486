"""Quorum's common layer: what every capability shares and nothing any one of them owns."""
