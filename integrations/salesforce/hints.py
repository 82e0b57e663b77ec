"""Plain-language explanations and fix hints for Salesforce error codes.

Each hint is what happened (its first sentence), then what to do: the console's sync health
shows the two apart (`explain_and_fix`).

Used by the client when it raises, by the connection page and by the sync history, so a
person reading an error knows what happened and what to do next.
"""

import re

HINTS: dict[str, str] = {
    # OAuth token endpoint errors (RFC 6749 codes as Salesforce uses them).
    "invalid_grant": (
        "Salesforce refused the login. Check the username and password, append the user's "
        "security token to the password (or allow this server's IP in the connected app), and "
        "make sure the user is active and allowed to use the connected app."
    ),
    "invalid_client_id": (
        "The client id (consumer key) is not known to this org. Copy it again from the "
        "connected app, and use the login URL of the org where the app lives."
    ),
    "invalid_client": (
        "The client secret (consumer secret) does not match the client id. Copy both again "
        "from the connected app."
    ),
    "unsupported_grant_type": (
        "This login URL does not accept this kind of login. Client credentials work only on "
        "your My Domain URL (https://<domain>.my.salesforce.com), not on login.salesforce.com."
    ),
    "inactive_user": "The Salesforce user is inactive. Activate it or connect another user.",
    "inactive_org": "The Salesforce org is locked or inactive. Ask your Salesforce admin.",
    # REST API error codes.
    "INVALID_SESSION_ID": (
        "The Salesforce session expired and could not be renewed. Reconnect Salesforce on the "
        "connection page."
    ),
    "REQUEST_LIMIT_EXCEEDED": (
        "The org used up its daily API requests. Sync pauses and resumes by itself; raise the "
        "org's limit or lower other integrations' usage if this happens often."
    ),
    "API_CAP_REACHED": (
        "CRM Bridge reached the share of the daily API limit you allowed it. Sync resumes by "
        "itself when older calls leave the 24-hour window, or raise the cap on the connection page."
    ),
    "SERVER_UNAVAILABLE": "Salesforce was briefly unavailable. CRM Bridge retries by itself.",
    "UNABLE_TO_LOCK_ROW": (
        "Another process in Salesforce was editing the same record. CRM Bridge retries by itself."
    ),
    "API_DISABLED_FOR_ORG": (
        "The org's edition does not include API access. Use an edition with API access "
        "(Enterprise, Unlimited, Developer or Performance)."
    ),
    "API_CURRENTLY_DISABLED": (
        "The user's profile lacks the 'API Enabled' permission. Grant it to the integration user."
    ),
    "INSUFFICIENT_ACCESS": (
        "The connected user may not see or change this record. Grant the integration user "
        "access (profile, permission set or sharing)."
    ),
    "INSUFFICIENT_ACCESS_OR_READONLY": (
        "The connected user may not change this record. Grant the integration user edit access."
    ),
    "INVALID_FIELD": (
        "A field in the request does not exist for the connected user. Check the field "
        "mapping, and the integration user's field-level security."
    ),
    "INVALID_FIELD_FOR_INSERT_UPDATE": (
        "A mapped field is read-only in Salesforce. Set that mapping to 'always Salesforce'."
    ),
    "INVALID_TYPE": (
        "The object does not exist or the connected user cannot see it. Grant the integration "
        "user access to the object, or turn off the sync of that object."
    ),
    "MALFORMED_QUERY": "CRM Bridge built a query Salesforce could not read. Please report this.",
    "REQUIRED_FIELD_MISSING": (
        "Salesforce requires a value that is empty here. Fill in the field, or map a value to it."
    ),
    "STRING_TOO_LONG": "A value is longer than the Salesforce field allows. Shorten it.",
    "INVALID_EMAIL_ADDRESS": "The email address is not valid for Salesforce. Correct it.",
    "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST": (
        "The value is not one of the picklist's allowed values. Use one of the values in "
        "Salesforce, or add this value to the picklist."
    ),
    "FIELD_INTEGRITY_EXCEPTION": (
        "Salesforce rejected a value that conflicts with another field, e.g. a state or "
        "country that is not in the org's state/country picklists. Correct the value."
    ),
    "DUPLICATE_VALUE": (
        "Another Salesforce record already has this unique value. Merge the duplicates."
    ),
    "DUPLICATES_DETECTED": (
        "A Salesforce duplicate rule blocked the record. Match it to the existing record or "
        "relax the duplicate rule for the integration user."
    ),
    "ENTITY_IS_DELETED": "The Salesforce record was deleted. Restore it from the recycle bin.",
    "NOT_FOUND": (
        "The Salesforce record does not exist (any more). Restore it from the recycle bin, or "
        "let the next inbound sync unlink the record here."
    ),
    "MALFORMED_ID": (
        "The value is not a valid Salesforce id. Correct the mapped id field, or clear it."
    ),
    "INVALID_CROSS_REFERENCE_KEY": (
        "A related record (e.g. the account or owner) does not exist. Link an existing record, "
        "or give the integration user access to it."
    ),
    "INACTIVE_OWNER_OR_USER": (
        "Salesforce refused the record's owner: that user is inactive. Choose an active user "
        "as the fallback owner (fallback_owner_id) in the sync settings, or leave it empty so "
        "the integration user owns such records."
    ),
    "CANNOT_REPARENT_RECORD": (
        "Salesforce would not give the record to that owner. Choose another active user as the "
        "fallback owner (fallback_owner_id) in the sync settings, or leave it empty so the "
        "integration user owns such records."
    ),
    "CANNOT_UPDATE_CONVERTED_LEAD": (
        "The Lead was converted. CRM Bridge re-links the contact to the converted Contact on "
        "the next inbound sync."
    ),
    "EXCEEDED_ID_LIMIT": "Too many records in one request. Please report this.",
    "INVALIDJOBSTATE": (
        "The Bulk API job was not in a state that allows this step, e.g. it was aborted in "
        "Salesforce Setup → Bulk Data Load Jobs. The next run matches what the job wrote "
        "before sending anything again."
    ),
    "TIMEOUT": "Salesforce did not answer in time. CRM Bridge retries by itself.",
    "CONNECTION_FAILED": (
        "Salesforce could not be reached. Check the login URL, this server's network access "
        "and, for a private endpoint, that its certificate is trusted (REQUESTS_CA_BUNDLE)."
    ),
    "SSL_ERROR": (
        "The server's TLS certificate is not trusted. For a private Salesforce-compatible "
        "endpoint, point REQUESTS_CA_BUNDLE at its CA certificate."
    ),
    "NOT_CONNECTED": "No Salesforce org is connected. Connect one on the connection page.",
}


GENERIC_FIX = (
    "See Salesforce's message above; if it persists, check the integration user's "
    "permissions and the field mappings."
)
# A sentence ends before a space and a capital ("e.g. a state" goes on).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def hint_for(code: str) -> str:
    """Return the fix hint for a Salesforce error code, or a generic one."""
    return HINTS.get(code, GENERIC_FIX)


def explain_and_fix(code: str) -> tuple[str, str]:
    """(What the error means, what to do); an unknown code means "" and the generic fix."""
    if code not in HINTS:
        return "", GENERIC_FIX
    meaning, *fix = _SENTENCE_END.split(HINTS[code], maxsplit=1)
    return meaning, "".join(fix)
