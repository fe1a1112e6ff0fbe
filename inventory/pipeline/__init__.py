"""Running the inventory: planning tasks with content keys, executing notebooks in warm kernels,
publishing atomically (:mod:`.run`), and the vectorised path without notebooks (:mod:`.compute`)."""
