"""Reads. Every list starts from what the user may see; one complaint is fetched and authorised together.

`visibility`: complaints for the people involved; `dashboard`: a representative's queue and
record; `public`: a listed business and paging of public lists; `notifications`: a user's notifications.
"""
