from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up (people join a programme by invitation), and our own wording."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": "Enter a correct email address and password",
        "enter_current_password": "Enter your current password",
        "incorrect_code": "The code is not right. Check it and try again",
        "incorrect_password": "The password is not right",
        "too_many_login_attempts": (
            "Too many sign-in attempts with wrong details. Wait 5 minutes, then try again"
        ),
        "rate_limited": "Too many requests. Wait a minute, then try again",
        "unknown_email": "No account uses this email address",
    }

    def is_open_for_signup(self, request) -> bool:
        return False
