# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Failures the workflows raise; the module turns each into one fail_json shape."""

from __future__ import annotations


class WorkflowError(Exception):
    """A step of the workflow failed: ``step`` names it, ``msg`` says what happened and what to do.

    ``api_error`` is the OvhApiError behind it, when there is one; ``details`` go into the result.
    """

    def __init__(self, step, msg, api_error=None, **details):
        self.step = step
        self.msg = msg
        self.api_error = api_error
        self.details = details
        super().__init__(msg)


class InputError(WorkflowError):
    """Bad module input, found before any API call."""

    def __init__(self, msg, **details):
        super().__init__("validate input", msg, **details)
