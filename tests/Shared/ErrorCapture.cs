using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Punch.Tests.Shared;

/// <summary>Keeps the text of every error the server logs, with its exception's messages.</summary>
internal sealed class ErrorCapture(ConcurrentQueue<string> errors) : ILoggerProvider, ILogger
{
    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel) || errors.Count >= 100)
        {
            return;
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            errors.Enqueue(e is AggregateException aggregate ? string.Join(" | ", aggregate.InnerExceptions.Select(i => i.Message)) : e.Message);
        }

        errors.Enqueue(formatter(state, exception));
    }

    public void Dispose()
    {
    }
}
