"""The yearly reporting cycle: Excel templates out to agencies, their returns validated in, the store."""
