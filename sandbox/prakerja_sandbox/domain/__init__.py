"""Programme rules: pure-ish functions over the sandbox state that change it or raise coded errors."""
