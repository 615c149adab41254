// The AppHost supervises Debian's server packages through /proc, setsid and POSIX signals: it runs on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
