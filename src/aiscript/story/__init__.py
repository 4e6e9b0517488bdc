"""The story before a word is drafted: the premise read into a brief, the season planned
(cast, places, devices, story state, one event per episode), and the measures of whether a
season follows its premise."""
