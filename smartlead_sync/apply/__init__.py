"""Apply: carry a reviewed plan out against Smartlead, in order, verified, journaled, reported."""
