"""The citizen's side of intake: the wizard and its receipt, the request API, tracking and the one-time
code, and what a citizen does on a granted request (answer the desk, object, download)."""
