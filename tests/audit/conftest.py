from tests.workflow.conftest import make_client  # noqa: F401  (the same way to make users)
