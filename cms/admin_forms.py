"""Admin forms Loa adjusts."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    """Wagtail's login form declares its password field without a label, so the admin shows
    Django's default, the English field name "Password", in every language. Our source
    strings are Vietnamese (an English msgid here would be caught by our own catalogue)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Mật khẩu")
