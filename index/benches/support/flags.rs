//! Command-line flags of the benchmarks (`bench.rs` here, and the server's
//! `serve.rs`): `--flag value` or `--flag=value`, numbers with `_` allowed.

/// The flags of a command line, read one after another.
pub struct Flags<'a> {
    args: &'a [String],
    next: usize,
    /// The value given with `=` to the flag just read.
    inline: Option<String>,
}

impl<'a> Flags<'a> {
    pub fn new(args: &'a [String]) -> Flags<'a> {
        Flags {
            args,
            next: 0,
            inline: None,
        }
    }

    /// The next flag (or word), none at the end.
    pub fn next_flag(&mut self) -> Option<String> {
        let arg = self.args.get(self.next)?;
        self.next += 1;
        match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                self.inline = Some(value.to_string());
                Some(flag.to_string())
            }
            _ => {
                self.inline = None;
                Some(arg.clone())
            }
        }
    }

    /// The value of the flag just read: after `=`, or the next argument.
    pub fn value(&mut self, name: &str) -> Result<String, String> {
        if let Some(v) = self.inline.take() {
            return Ok(v);
        }
        let v = self
            .args
            .get(self.next)
            .cloned()
            .ok_or_else(|| format!("{name} needs a value"))?;
        self.next += 1;
        Ok(v)
    }

    /// The value of the flag just read, as a number.
    pub fn number(&mut self, name: &str) -> Result<usize, String> {
        number(name, &self.value(name)?)
    }
}

/// `v` as a number (`10_000` allowed), or an error naming the flag.
pub fn number(name: &str, v: &str) -> Result<usize, String> {
    v.replace('_', "")
        .parse::<usize>()
        .map_err(|_| format!("{name}: {v:?} is not a number"))
}
