"""Project termination and the account's e-mail history (terraform-provider-ovh ovh/order.go, me-notification-email.json).

``POST /cloud/project/{id}/terminate`` records a request with a fresh token and, ``termination_email_delay`` later, the
account receives an e-mail whose body holds the project id and the link
``https://www.ovh.com/manager/#/billing/confirmTerminate?id=<service id>&token=<token>``: terraform-provider-ovh
(``ovh/order.go`` L28, ``ovh/notification_email.go``) finds it among the e-mails with ids it had not seen before, whose
body contains the project id and ``/billing/confirmTerminate``, and reads the token with
``.*/billing/confirmTerminate\\?id=[[:alnum:]]+&token=([[:alnum:]]+).*``. The wording of the e-mail, the token's length
and alphabet beyond ``[[:alnum:]]``, and whether an older token stays valid are UNVERIFIED (choices below).

Every account also holds older, unrelated e-mails (an invoice, and an old termination e-mail of another project), so a
reader that takes the first e-mail with a confirmation link, or does not check the project id, gets the wrong token.
"""

import datetime
import secrets
import string

from . import errors
from .models import Email, TerminationRequest

CONFIRM_LINK = "https://www.ovh.com/manager/#/billing/confirmTerminate?id=%s&token=%s"
TOKEN_ALPHABET = string.ascii_letters + string.digits
TOKEN_LENGTH = 32  # UNVERIFIED: terraform's regex only says [[:alnum:]]+
EMAIL_KEYS = {"subject", "body", "days_ago", "delay"}


def new_token():
    """A fresh alphanumeric termination token."""
    return "".join(secrets.choice(TOKEN_ALPHABET) for _position in range(TOKEN_LENGTH))


def add_email(store, nichandle, subject, body, visible_real):
    """An e-mail the account receives at real time ``visible_real`` (dated then, on the simulator clock)."""
    mail = Email(email_id=store.next_id("email"), nichandle=nichandle, subject=subject, body=body,
                 date=store.clock.sim_of_real(visible_real), visible_real=visible_real)
    store.emails[mail.email_id] = mail
    return mail


def termination_email(project_id, description, service_id, token):
    """(subject, body) of the token e-mail. UNVERIFIED wording: public sources give only the link and the project id."""
    subject = "[OVHcloud] Termination of your service %s" % project_id
    name = '"%s" (%s)' % (description, project_id) if description else project_id
    body = ("Hello,\n\nWe have received a request to terminate your Public Cloud project %s.\n\n"
            "To confirm the termination, follow this link:\n%s\n\n"
            "If you did not ask for it, ignore this e-mail: the service will not be terminated.\n\n"
            "The OVHcloud team\n") % (name, CONFIRM_LINK % (service_id, token))
    return subject, body


def request_termination(store, project, now_real):
    """A termination request: a new token, e-mailed after ``termination_email_delay``.

    UNVERIFIED: a second request before confirmation makes the earlier token invalid (stricter choice: a reader must take
    the newest e-mail of the project, not the first one it finds).
    """
    for request in store.terminations:
        if request.project_id == project.project_id:
            request.valid = False
    if project.service_id is None:
        project.service_id = store.next_id("service")
    token = new_token()
    subject, body = termination_email(project.project_id, project.description, project.service_id, token)
    delay = store.config.delay("termination_email_delay", store.accounts.get(project.nichandle))
    mail = add_email(store, project.nichandle, subject, body, now_real + delay)
    request = TerminationRequest(project_id=project.project_id, nichandle=project.nichandle, token=token, email_id=mail.email_id,
                                 requested_real=now_real)
    store.terminations.append(request)
    return request


def confirm_termination(store, project, token):
    """The project's valid request whose token is ``token``, marked confirmed; else 400.

    UNVERIFIED: the real API's answer to a wrong token is not documented; 400 Client::BadRequest (python-ovh
    BadParametersError), like the other refused parameters. A token of another project, an older token replaced by a new
    request, or a token given when no termination was asked are all wrong tokens.
    """
    for request in store.terminations:
        if request.project_id == project.project_id and request.valid and secrets.compare_digest(request.token, token):
            request.valid = False
            request.confirmed = True
            return request
    raise errors.bad_request("Invalid termination token for service %s" % project.project_id)


def seed_emails(store, account, specs, now_real):
    """E-mails of a seed or of the control API: ``[{subject, body, days_ago?, delay?}]`` (``delay``: seconds until it
    arrives; ``days_ago``: an older e-mail). Returns their ids."""
    if not isinstance(specs, list):
        raise errors.bad_request("emails must be a list of {subject, body, days_ago?, delay?}")
    ids = []
    for spec in specs:
        if not isinstance(spec, dict) or set(spec) - EMAIL_KEYS:
            raise errors.bad_request("an e-mail is {subject, body, days_ago?, delay?}, got %r" % (spec,))
        if not isinstance(spec.get("subject"), str) or not isinstance(spec.get("body"), str):
            raise errors.bad_request("an e-mail needs subject and body (strings)")
        offsets = [spec.get(key, 0) for key in ("days_ago", "delay")]
        if any(isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 for value in offsets):
            raise errors.bad_request("days_ago and delay must be non-negative numbers")
        when = now_real - offsets[0] * 86400 + offsets[1]
        ids.append(add_email(store, account.nichandle, spec["subject"], spec["body"], when).email_id)
    return ids


def default_emails(store):
    """The older e-mails every seeded account has, unless its spec gives ``emails``: an invoice, and a termination e-mail
    of another (long gone) project, with a confirmation link and a token that is not valid for any project."""
    old_project = store.new_project_id()
    subject, body = termination_email(old_project, "old project", store.next_id("service"), new_token())
    invoice_date = (store.clock.now_dt() - datetime.timedelta(days=10)).strftime("%Y-%m-%d")
    return [
        {"subject": subject, "body": body, "days_ago": 40},
        {"subject": "[OVHcloud] Your invoice FR%08d is available" % secrets.randbelow(10 ** 8),
         "body": "Hello,\n\nYour invoice of %s is available in your Control Panel:\n"
                 "https://www.ovh.com/manager/#/billing/history\n\nThe OVHcloud team\n" % invoice_date, "days_ago": 10},
    ]
