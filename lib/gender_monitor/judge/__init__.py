"""Assessment of every target: statuses, probabilities, categories and the words that say them."""
