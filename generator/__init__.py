"""Personal residency handbook: from one applicant's profile to a searchable site."""

__version__ = "0.1.0"
