"""Tables: ruled grids, borderless and text-layout tables, merged over page breaks."""
