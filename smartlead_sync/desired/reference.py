"""What every key of the campaign and project files means, in the user's words.

One entry per field of each file model, keyed `Model.field`, unless the field carries its own
`Field(description=...)`; campaign settings take theirs from `campaign_settings_table`. The editor schemas (`schema.py`) take their descriptions from here
and from those fields, and so does the key reference in the README (a test keeps the README's
copy current and checks that every field is described exactly once).
"""

# ruff: noqa: E501  (a table of sentences reads best one entry a line)

from __future__ import annotations

from smartlead_sync.campaign_settings_table import (
    CAMPAIGN_SETTINGS,
    CampaignSetting,
    Choice,
    IdList,
    Kind,
    Nested,
    Scalar,
    Tracking,
)

FIELDS: dict[str, str] = {
    # A campaign file
    "CampaignFile.name": "The campaign's name in Smartlead. With `client_id` it identifies the campaign.",
    "CampaignFile.client_id": "The agency client (sub-account) the campaign belongs to; leave out for your own campaigns.",
    "CampaignFile.id": "Pin the file to this Smartlead campaign id, so a rename in the UI never breaks the match.",
    "CampaignFile.previous_names": "Names the campaign had before: a live campaign with one of them is renamed, not created again.",
    "CampaignFile.status": "drafted, active, paused or stopped. Leave out to leave the status alone.",
    "CampaignFile.allow_stop": "Must be true for `status: stopped`: a stopped campaign can never be started again.",
    "CampaignFile.delete": "true deletes the campaign in Smartlead (apply also needs --allow-destroy).",
    "CampaignFile.schedule": "When emails go out: timezone, days, sending hours and pace.",
    "CampaignFile.settings": "Tracking, when to stop following up a lead, and other campaign settings.",
    "CampaignFile.sequence": "The emails, in order: step 1 is the first email, each next step a follow-up.",
    "CampaignFile.mailboxes": "Sender email addresses that send this campaign (they must exist in the account).",
    "CampaignFile.webhooks": "Where Smartlead posts events (replies, bounces, ...) for this campaign.",
    "CampaignFile.leads": "Who receives the campaign: lead sources, upload options, pruning.",
    "CampaignFile.safety": "This campaign's own limits on changing its leads in one apply, instead of the project's.",
    "CampaignFile.guards": "Health checks that pause the campaign when a rate crosses a threshold.",
    "CampaignFile.extends": "Template file(s) this campaign builds on, relative to the project directory.",
    # schedule
    "ScheduleModel.timezone": "IANA timezone of the sending hours, e.g. Europe/Berlin.",
    "ScheduleModel.days": "Days emails are sent: monday .. sunday.",
    "ScheduleModel.start": 'Start of the sending hours, "HH:MM" (24-hour); quote it.',
    "ScheduleModel.end": 'End of the sending hours, "HH:MM" (24-hour), after start; quote it.',
    "ScheduleModel.minutes_between_emails": "Minutes between two emails of the campaign (1..1440).",
    "ScheduleModel.max_new_leads_per_day": "At most this many leads get their first email per day.",
    "ScheduleModel.start_at": "Do not send before this date and time (ISO 8601, e.g. 2026-01-05T09:00:00Z).",
    # settings: from the settings table
    **{f"SettingsModel.{s.yaml}": s.description for s in CAMPAIGN_SETTINGS},
    **{
        f"OutOfOfficeModel.{part.yaml}": part.description
        for s in CAMPAIGN_SETTINGS
        if isinstance(s.codec, Nested)
        for part in s.codec.parts
    },
    # sequence
    "StepModel.delay_days": "Days to wait after the previous step (0 for step 1).",
    "StepModel.subject": "Subject line. Empty on a follow-up: a reply in the same thread (never on step 1).",
    "StepModel.body": "The email's HTML, written here. Use either body or body_file.",
    "StepModel.body_file": "File that holds the email's HTML, relative to the project directory.",
    "StepModel.variants": "A/B variants of this step (labels A..F), instead of one subject and body.",
    "StepModel.distribution": "How leads are split between variants: equal, percentage (each variant gives its share) or ai.",
    "StepModel.winning_metric": "With distribution ai: the rate that picks the winner.",
    "StepModel.lead_distribution_percentage": "With distribution ai: share of leads used to find the winner.",
    "StepModel.ab_test": "Promote the winning variant once the test is conclusive (proposed as a pull request).",
    "VariantModel.label": "The variant's letter, A..F; it identifies the variant, keep it when editing.",
    "VariantModel.subject": "Subject line of this variant.",
    "VariantModel.body": "This variant's HTML, written here. Use either body or body_file.",
    "VariantModel.body_file": "File that holds this variant's HTML, relative to the project directory.",
    "VariantModel.percentage": "Share of leads that get this variant; all variants' shares sum to 100.",
    "AbTestSpec.metric": "The rate that decides the winner: reply_rate, positive_reply_rate, click_rate or open_rate.",
    "AbTestSpec.min_sends": "Emails every variant must have sent before a winner is named.",
    "AbTestSpec.confidence": "How sure the test must be before it names a winner, in percent (80..99.9).",
    "AbTestSpec.on_winner": "What promotion does: winner_to_100 sends everything to the winner, remove_losers deletes the others.",
    # webhooks
    "WebhookModel.name": "Names the webhook within the campaign; it identifies it, so renaming makes a new one.",
    "WebhookModel.url": "Where events are posted. Write ${ENV_NAME} to keep a token out of git.",
    "WebhookModel.events": "Events to post, e.g. EMAIL_REPLY, EMAIL_BOUNCE, LEAD_UNSUBSCRIBED.",
    "WebhookModel.categories": "Lead categories the webhook is for, e.g. Interested (at least one).",
    # leads
    "LeadsModel.sources": "Where the leads come from: CSV files and leads written inline.",
    "LeadsModel.upload": "Which leads Smartlead may skip when they are uploaded.",
    "LeadsModel.prune": "Remove leads from the campaign that are no longer in the sources (a safety rule applies).",
    "LeadsModel.allow_blank": "{{variables}} allowed to render blank for leads that lack them.",
    "LeadSourceModel.csv": "A CSV file of leads, relative to the project directory or ${ENV_NAME}/file.csv.",
    "LeadSourceModel.columns": "Lead field -> CSV header, where the header does not already name the field.",
    "LeadSourceModel.custom_fields": "CSV columns kept as custom fields (default: every column that is not a standard field).",
    "LeadSourceModel.delimiter": 'Column separator of the CSV: ",", ";", "|" or a tab.',
    "LeadSourceModel.inline": "Leads written in the file.",
    "InlineLead.email": "The lead's email address; it identifies the lead within the campaign.",
    "InlineLead.first_name": "First name, used as {{first_name}}.",
    "InlineLead.last_name": "Last name, used as {{last_name}}.",
    "InlineLead.company_name": "Company name, used as {{company_name}}.",
    "InlineLead.phone_number": "Phone number.",
    "InlineLead.website": "Website.",
    "InlineLead.location": "Location.",
    "InlineLead.linkedin_profile": "LinkedIn profile URL.",
    "InlineLead.company_url": "Company website URL.",
    "InlineLead.custom_fields": "Other fields, used as {{Field name}} exactly as written.",
    "UploadModel.ignore_global_block_list": "Upload leads that are on your block list anyway.",
    "UploadModel.ignore_unsubscribe_list": "Upload leads that unsubscribed before anyway.",
    "UploadModel.ignore_community_bounce_list": "Upload leads on Smartlead's shared bounce list anyway.",
    "UploadModel.other_campaign_duplicates": "A lead already in another campaign: skip leaves it out, allow adds it.",
    # guards
    "GuardSpec.metric": "What the guard watches: bounce_rate, unsubscribe_rate, or reply_rate (a floor).",
    "GuardSpec.threshold": "The rate, in percent, that trips the guard (above it; below it for reply_rate).",
    "GuardSpec.min_sent": "Emails sent before the guard judges; fewer means not enough data.",
    "GuardSpec.window_days": "Count only the last N days (1..30); default: the whole campaign.",
    "GuardSpec.action": "pause pauses the campaign when the guard trips; report only reports it.",
    "GuardSpec.acknowledged": "Count only emails sent after this date (YYYY-MM-DD), to resume after a reviewed fix.",
    # safety limits
    "CampaignSafetyModel.lead_updates": "This campaign's limit on leads updated or removed at once; judged alone.",
    "CampaignSafetyModel.lead_removals": "How many leads prune may remove from this campaign in one apply.",
    "SafetyModel.campaign_updates": "Limit on the share of existing campaigns one apply may change.",
    "SafetyModel.lead_updates": "Limit on the share of existing leads one apply may update or remove.",
    "SafetyModel.lead_removals": "How many leads prune may remove from a campaign in one apply (default 0).",
    "CampaignUpdatesModel.max_share": "Largest share (0..1) of existing campaigns one apply may change without --allow-destroy.",
    "CampaignUpdatesModel.min_existing": "The limit counts only from this many existing campaigns.",
    "LeadUpdatesModel.max_share": "Largest share (0..1) of existing leads one apply may update or remove without --allow-destroy.",
    "LeadUpdatesModel.min_existing": "The limit counts only from this many existing leads.",
    "LeadRemovalsModel.max_count": "Leads one apply may remove without --allow-destroy.",
    # the project file
    "ProjectFile.defaults": "Campaign keys every campaign inherits (the campaign file wins).",
    "ProjectFile.settings": "How the tool works with your account: rate limits, batch sizes, safety limits.",
    "ToolSettingsModel.rate_limit_profile": "Smartlead plan rate limits to pace calls by: strict, standard or pro.",
    "ToolSettingsModel.rate_limits": "Replace the windows of a rate-limit bucket of the profile.",
    "ToolSettingsModel.category_buckets": "Also pace campaign, lead and webhook writes by the per-category figures (30, 60, 20 a minute); off: learned from a 429.",
    "ToolSettingsModel.lead_batch_size": "Leads sent per upload call (1..400, default 400; a smaller cap the account refuses with is learned).",
    "ToolSettingsModel.max_concurrent_campaigns": "Campaigns applied side by side (1..32), under one shared rate limit.",
    "ToolSettingsModel.safety": "What one apply may change without --allow-destroy.",
    "WindowModel.limit": "Calls allowed per window.",
    "WindowModel.seconds": "Length of the window in seconds.",
}


_SCALAR_VALUES = {
    Kind.FLAG: "bool",
    Kind.PERCENT: "0..100",
    Kind.TEXT: "text",
    Kind.LOOSE_TEXT: "text",
}


def _setting_values(setting: CampaignSetting) -> str:
    """The README's "values" cell of one setting."""
    match setting.codec:
        case Tracking(flags):
            words = ", ".join(f"`{flag.word}`" for flag in flags)
            return f"list of {words}: what is tracked (`[]` = nothing)"
        case Choice(api_words):
            *first, last = (f"`{choice.value}`" for choice in api_words)
            return f"{', '.join(first)} or {last}"
        case Nested(parts):
            return ", ".join(f"`{part.yaml}`" for part in parts)
        case IdList(noun):
            return f"list of {noun}"
        case Scalar(kind):
            return _SCALAR_VALUES[kind]


def settings_table_rows() -> str:
    """The campaign-settings rows of the README's key table: file key, values, Smartlead key."""
    rows = []
    for setting in CAMPAIGN_SETTINGS:
        wire = f"`{setting.api_write}`"
        if not setting.readable:
            wire = "same name" if setting.api_write == setting.yaml else wire
            wire += " (write-only)"
        rows.append(f"| `settings.{setting.yaml}` | {_setting_values(setting)} | {wire} |\n")
    return "".join(rows)
