// A worker module that cannot load, as one with a missing dependency or a broken loader would.
throw new Error("cannot load this module");
