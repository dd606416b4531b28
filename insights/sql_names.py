"""Intake's tables as the report's, the scorecard's and the rollup's SQL name them: read once
from the models (`_meta.db_table`), so that renaming a table cannot leave a query behind.
The SQL writes `{requests}`, `{events}`, … and is formatted with `TABLES`."""

from intake.models import AnswerLetter, Inquiry, RequestEvent, RequestMessage, ServiceRequest, Survey

TABLES = {
    "requests": ServiceRequest._meta.db_table,
    "events": RequestEvent._meta.db_table,
    "messages": RequestMessage._meta.db_table,
    "letters": AnswerLetter._meta.db_table,
    "inquiries": Inquiry._meta.db_table,
    "surveys": Survey._meta.db_table,
}
