"""The staff's casework: the queue and a request's page, assignment and moves through the stages,
asking the citizen, inquiries to other bodies, the answer letter, the in-person desk, objections,
and the daily word on late stages."""
