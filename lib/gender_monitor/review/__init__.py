"""The review batch: parameters, shared state, notebooks run by papermill, cache and manifest."""
