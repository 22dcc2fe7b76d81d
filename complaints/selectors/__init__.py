"""Reads. Every list starts from what the user may see; one complaint is fetched and authorised together.

`visibility`: complaints for the people involved; `dashboard`: a representative's queue and
record; `public`: profiles and published complaints; `notifications`: a user's notifications.
"""
