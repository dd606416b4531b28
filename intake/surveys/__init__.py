"""Surveys (نظرسنجی): the questionnaires and their choice per service, the invitation after an
answer or a walk-in's due date, and the page where the citizen answers."""
