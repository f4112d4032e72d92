import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.utils.module_loading import import_string

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")


def with_shortcuts(app):
    """Paths answered by a bare WSGI application instead of Django's handler and middleware
    (``LOA_WSGI_SHORTCUTS``: path -> dotted name): questions nginx asks many times a second,
    where the middleware would cost more than the answer. A shortcut's ``warm`` attribute,
    if any, runs now, as the process starts, rather than in its first answer."""
    routes = {path: import_string(target)
              for path, target in getattr(settings, "LOA_WSGI_SHORTCUTS", {}).items()}
    for shortcut in routes.values():
        if warm := getattr(shortcut, "warm", None):
            warm()

    def dispatch(environ, start_response):
        return routes.get(environ.get("PATH_INFO", ""), app)(environ, start_response)

    return dispatch


application = with_shortcuts(get_wsgi_application())
