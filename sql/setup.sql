-- setup: runs first (see Makefile); installs mops into contrib_regression for
-- every later test.  Nothing else belongs here.
CREATE EXTENSION mops;
SELECT extname, extversion FROM pg_extension WHERE extname = 'mops';
