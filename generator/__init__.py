"""uniall-spec: the capability spec of the UniAll API and the emitters that compile it."""
