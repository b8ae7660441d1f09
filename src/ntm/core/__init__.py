"""The criteria engine: pure Python, no Django (tests/core/test_no_django.py enforces it)."""
