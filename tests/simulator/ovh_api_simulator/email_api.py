"""``/me/notification/email/history`` routes (me-notification-email.json): the e-mails the caller's account received."""

from . import errors
from .clock import iso


def list_emails(ctx):
    """GET /me/notification/email/history -> long[]: the caller's e-mails received so far (an e-mail on its way, e.g. the
    termination token during ``termination_email_delay``, is not there yet). UNVERIFIED order: newest first (terraform sorts
    the ids itself, so a client must not rely on the order)."""
    return [mail.email_id for mail in reversed(ctx.store.emails_of(ctx.account.nichandle, ctx.now_real))]


def get_email(ctx):
    """GET /me/notification/email/history/{id} -> nichandle.EmailNotification {id, date, subject, body}; another account's,
    unknown or not yet received: 404 like the other objects of a path."""
    mail = ctx.store.emails.get(ctx.params["id"])
    if mail is None or mail.nichandle != ctx.account.nichandle or mail.visible_real > ctx.now_real:
        raise errors.object_not_found("id", ctx.params["id"])
    return {"body": mail.body, "date": iso(mail.date), "id": mail.email_id, "subject": mail.subject}


ROUTES = {
    ("GET", "/me/notification/email/history"): list_emails,
    ("GET", "/me/notification/email/history/{id}"): get_email,
}
