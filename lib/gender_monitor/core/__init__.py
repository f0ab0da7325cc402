"""The suite's ground floor: one error hierarchy, where the repository's folders are, words for readers."""
