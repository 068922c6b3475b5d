"""Campaign health: guards that pause a campaign whose numbers go bad, A/B tests whose winner
is proposed as a change to the files, and the account check `doctor`.

spec.py holds what the files say; the rest reads analytics (§8) and evaluates it.
"""
