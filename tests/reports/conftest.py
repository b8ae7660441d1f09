from tests.web.conftest import as_user, demo  # noqa: F401  (the web tests' shared demo)
