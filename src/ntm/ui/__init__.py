"""Helpers every page uses, whatever its app: form fields, the answer for a unit outside its years.

Below the apps that draw pages (entry, finance, programs, web), above accounts (its access checks).
Not a Django app: its templates live with the site's base templates in ntm.web.
"""
