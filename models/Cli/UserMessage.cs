namespace Simd.Models.Cli;

/// <summary>An exception's message as a user should read it: without the parameter names .NET appends.</summary>
internal static class UserMessage
{
    public static string Of(Exception e)
    {
        string message = e.Message;
        if (e is ArgumentException { ParamName: { Length: > 0 } name } argument)
        {
            // "… (Parameter 'options')" and, for an out-of-range argument, "Actual value was …" on the next line:
            // the first names code, the second repeats what the message says. Both are cut, however they are worded.
            int newline = message.IndexOf('\n', StringComparison.Ordinal);
            if (argument is ArgumentOutOfRangeException && newline >= 0) message = message[..newline].TrimEnd('\r');
            string suffix = new ArgumentException("", name).Message;
            if (message.EndsWith(suffix, StringComparison.Ordinal)) message = message[..^suffix.Length];
        }
        return message.TrimEnd();
    }
}
