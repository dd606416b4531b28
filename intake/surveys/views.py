"""The survey page a citizen opens from the link sent to them (the token is the key)."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render

from intake.models import Survey
from intake.surveys.services import SCALE, survey_answer


def survey(request, token: str):
    survey = get_object_or_404(Survey.objects.select_related("questionnaire", "request__service"), token=token)
    error, done = None, bool(survey.answered_at)
    raw = [""] * len(survey.questionnaire.questions)
    if request.method == "POST" and not done:
        raw = [request.POST.get(f"q{i}", "") for i in range(1, len(survey.questionnaire.questions) + 1)]
        try:
            survey_answer(survey=survey, answers=[int(v) if v.isdigit() else 0 for v in raw])
            done = True
        except ValidationError as problem:
            error = " ".join(problem.messages)
    return render(request, "intake/survey.html", {
        "survey": survey, "scale": SCALE,
        # Each question with the answer already chosen, kept when the form is refused.
        "questions": [(n, question, raw[n - 1]) for n, question in enumerate(survey.questionnaire.questions, start=1)],
        "error": error, "done": done,
    }, status=400 if error else 200)
