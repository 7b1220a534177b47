using System;
using System.Globalization;
using System.Text;

namespace ConvGen.Generator.Helpers;

/// <summary>Indented text output for generated sources; cheaper and more readable than SyntaxFactory.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public CodeWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4);
            _text.Append(line);
        }

        _text.Append('\n');
        return this;
    }

    public CodeWriter Line(FormattableString line) => Line(line.ToString(CultureInfo.InvariantCulture));

    /// <summary>Writes "{" and indents until the returned scope is disposed, which writes "}" plus <paramref name="suffix"/>.</summary>
    public Scope Block(string? header = null, string suffix = "")
    {
        if (header is not null)
        {
            Line(header);
        }

        Line("{");
        _indent++;
        return new Scope(this, suffix);
    }

    public void Indent() => _indent++;

    public void Outdent() => _indent--;

    public override string ToString() => _text.ToString();

    internal readonly struct Scope : IDisposable
    {
        private readonly CodeWriter _writer;
        private readonly string _suffix;

        public Scope(CodeWriter writer, string suffix)
        {
            _writer = writer;
            _suffix = suffix;
        }

        public void Dispose()
        {
            _writer._indent--;
            _writer.Line("}" + _suffix);
        }
    }
}
