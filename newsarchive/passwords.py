"""Django's password validators, as settings.AUTH_PASSWORD_VALIDATORS lists them; only the
length rule is wrapped, because Django 5.2 changed its message and zh_Hans has no translation
of the new text (staff would read English)."""

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"密码太短：至少需要 {self.min_length} 个字符。"

    def get_help_text(self) -> str:
        return f"密码至少需要 {self.min_length} 个字符。"
