"""The run limits' defaults and bounds, light to import: the command line's help needs them at every start."""

DEFAULT_TIMEOUT = 120.0  # seconds a document may take before it is failed
DEFAULT_MAX_MEMORY_MB = 6144  # address-space cap of each worker process
MAX_TIMEOUT_S = 7 * 24 * 3600.0  # a per-document timeout longer than a week is a typo
MIN_MEMORY_MB = 1024  # below this a worker cannot even load the language model
