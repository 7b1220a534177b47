using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace ConvGen;

/// <summary>One parameter a model expects from a weights file: its name (PyTorch <c>state_dict</c> style), shape and destination.</summary>
/// <param name="Name">The tensor's name, e.g. <c>conv1.weight</c>.</param>
/// <param name="Shape">The shape the file must have for it, e.g. [32, 3, 3, 3].</param>
/// <param name="Destination">Where its values go; exactly as many floats as the shape holds.</param>
public readonly record struct NamedParameter(string Name, int[] Shape, Memory<float> Destination);

/// <summary>
/// Reads and writes the safetensors format (an 8-byte little-endian header length, a JSON header naming each tensor's
/// dtype, shape and byte range, then the raw little-endian data), which PyTorch users get from
/// <c>safetensors.torch.save_file(model.state_dict(), path)</c>. Float32 only. No reflection, so it works under
/// NativeAOT.
/// </summary>
public static class SafeTensors
{
    private const long MaxHeaderBytes = 100 << 20;

    /// <summary>
    /// Copies every parameter from <paramref name="file"/> into its destination, or throws
    /// <see cref="InvalidDataException"/> listing every missing, misshaped or mistyped tensor (expected and found)
    /// without copying anything. Tensors in the file that no parameter names are listed in the message but allowed
    /// unless <paramref name="allowUnused"/> is false.
    /// </summary>
    public static void Load(ReadOnlySpan<byte> file, IReadOnlyList<NamedParameter> parameters, bool allowUnused = true)
    {
        Dictionary<string, Entry> entries = ReadHeader(file, out int dataStart);
        var problems = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (NamedParameter p in parameters)
        {
            used.Add(p.Name);
            string expected = $"F32 [{string.Join(", ", p.Shape)}]";
            if (!entries.TryGetValue(p.Name, out Entry e))
            {
                problems.Add($"'{p.Name}': expected {expected}, missing from the file");
                continue;
            }

            if (e.DType != "F32" || !ShapeEquals(e.Shape, p.Shape))
            {
                problems.Add($"'{p.Name}': expected {expected}, found {e.DType} [{string.Join(", ", e.Shape)}]");
                continue;
            }

            if (Count(p.Shape) != p.Destination.Length)
            {
                problems.Add($"'{p.Name}': its destination holds {p.Destination.Length} floats but {expected} has {Count(p.Shape)}");
            }
        }

        var unused = new List<string>();
        foreach (string name in entries.Keys)
        {
            if (!used.Contains(name))
            {
                unused.Add(name);
            }
        }

        if (unused.Count > 0 && (!allowUnused || problems.Count > 0))
        {
            // Allowed or not, they help explain a missing tensor (a renamed module, a different prefix).
            problems.Add((allowUnused ? "(allowed) " : "") + "the file has tensors no parameter takes: " + string.Join(", ", unused));
        }

        if (problems.Count > 0)
        {
            throw new InvalidDataException("The weights do not fit; nothing was loaded:" + Environment.NewLine + "  "
                + string.Join(Environment.NewLine + "  ", problems));
        }

        foreach (NamedParameter p in parameters)
        {
            Entry e = entries[p.Name];
            ReadOnlySpan<byte> bytes = file.Slice(dataStart + (int)e.Begin, (int)(e.End - e.Begin));
            Span<float> destination = p.Destination.Span;
            if (BitConverter.IsLittleEndian)
            {
                MemoryMarshal.Cast<byte, float>(bytes).CopyTo(destination);
            }
            else
            {
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(4 * i));
                }
            }
        }
    }

    /// <summary>
    /// Loads the weights and biases of <paramref name="layers"/> by PyTorch module name: <c>{name}.weight</c> and
    /// <c>{name}.bias</c> in the layer's own layout; a separable layer reads <c>{name}.depthwise.weight</c>,
    /// <c>{name}.pointwise.weight</c> and <c>{name}.pointwise.bias</c> (a module with those two children). Everything is
    /// checked before anything is copied, as in <see cref="Load(ReadOnlySpan{byte}, IReadOnlyList{NamedParameter}, bool)"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">Some tensor is missing, misshaped or not float32; the message lists each.</exception>
    public static void LoadLayers(ReadOnlySpan<byte> file, IReadOnlyList<(string Name, IConvLayer Layer)> layers, bool allowUnused = true)
        => LoadModules(file, AsModules(layers), allowUnused);

    /// <summary>
    /// Saves the weights and biases of <paramref name="layers"/> under the names <see cref="LoadLayers"/> reads, so
    /// PyTorch's <c>load_state_dict(load_file(path))</c> takes them.
    /// </summary>
    public static void SaveLayers(Stream stream, IReadOnlyList<(string Name, IConvLayer Layer)> layers)
        => SaveModules(stream, AsModules(layers));

    /// <summary>
    /// Loads the parameters of <paramref name="modules"/> by PyTorch module name: a convolution layer
    /// (<see cref="IConvLayer"/>) reads the tensors <see cref="LoadLayers"/> reads, a linear layer
    /// (<see cref="ILinearLayer"/>) reads <c>{name}.weight</c> [OutFeatures, InFeatures] and, when its bias is not
    /// empty, <c>{name}.bias</c> [OutFeatures]; any other layer (pooling, <see cref="Flatten"/>,
    /// <see cref="GlobalAvgPool"/>) has no parameters. Everything is checked before anything is copied, as in
    /// <see cref="Load(ReadOnlySpan{byte}, IReadOnlyList{NamedParameter}, bool)"/>.
    /// </summary>
    /// <param name="file">The safetensors file's bytes.</param>
    /// <param name="modules">Each layer with its <c>state_dict</c> prefix (the field or module name).</param>
    /// <param name="allowUnused">
    /// Whether tensors of the file that no module takes are allowed; either way they are listed when loading fails.
    /// </param>
    /// <exception cref="InvalidDataException">Some tensor is missing, misshaped or not float32; the message lists each.</exception>
    /// <exception cref="ArgumentException">A layer's Weights or Bias span is shorter than its own shape says.</exception>
    public static void LoadModules(ReadOnlySpan<byte> file, IReadOnlyList<(string Name, ILayer Layer)> modules, bool allowUnused = true)
    {
        List<ModuleTensor> tensors = TensorsOf(modules);
        var parameters = new List<NamedParameter>(tensors.Count);
        var buffers = new float[tensors.Count][];
        for (int i = 0; i < tensors.Count; i++)
        {
            // Layers expose spans, which a NamedParameter cannot hold: load into arrays, copy once everything fits.
            buffers[i] = new float[Count(tensors[i].Shape)];
            parameters.Add(new NamedParameter(tensors[i].Name, tensors[i].Shape, buffers[i]));
        }

        Load(file, parameters, allowUnused);
        for (int i = 0; i < tensors.Count; i++)
        {
            buffers[i].CopyTo(Target(tensors[i]));
        }
    }

    /// <summary>
    /// Saves the parameters of <paramref name="modules"/> under the names <see cref="LoadModules"/> reads, in order,
    /// so PyTorch's <c>load_state_dict(load_file(path))</c> takes them.
    /// </summary>
    /// <exception cref="ArgumentException">A layer's Weights or Bias span is shorter than its own shape says.</exception>
    public static void SaveModules(Stream stream, IReadOnlyList<(string Name, ILayer Layer)> modules)
    {
        var parameters = new List<NamedParameter>();
        foreach (ModuleTensor t in TensorsOf(modules))
        {
            parameters.Add(new NamedParameter(t.Name, t.Shape, Target(t).ToArray()));
        }

        Save(stream, parameters);
    }

    /// <summary>
    /// The tensors <see cref="LoadModules"/> reads and <see cref="SaveModules"/> writes for <paramref name="modules"/>:
    /// each name and PyTorch shape, in file order. Layers without parameters contribute none.
    /// </summary>
    public static IReadOnlyList<(string Name, int[] Shape)> DescribeModules(IReadOnlyList<(string Name, ILayer Layer)> modules)
    {
        List<ModuleTensor> tensors = TensorsOf(modules);
        var list = new List<(string, int[])>(tensors.Count);
        foreach (ModuleTensor t in tensors)
        {
            list.Add((t.Name, t.Shape));
        }

        return list;
    }

    private static (string Name, ILayer Layer)[] AsModules(IReadOnlyList<(string Name, IConvLayer Layer)> layers)
    {
        var modules = new (string, ILayer)[layers.Count];
        for (int i = 0; i < modules.Length; i++)
        {
            modules[i] = (layers[i].Name, layers[i].Layer);
        }

        return modules;
    }

    /// <summary>One tensor of one module: its name, PyTorch shape, and where it sits in the layer's Weights or Bias span.</summary>
    private readonly record struct ModuleTensor(string Name, int[] Shape, ILayer Layer, bool IsBias, int Offset);

    /// <summary>Every module's tensors, with each checked to fit in its layer's span so that a copy cannot fail halfway.</summary>
    private static List<ModuleTensor> TensorsOf(IReadOnlyList<(string Name, ILayer Layer)> modules)
    {
        var tensors = new List<ModuleTensor>();
        foreach ((string name, ILayer layer) in modules)
        {
            switch (layer)
            {
                case IConvLayer conv:
                    foreach ((string tensor, int[] shape, bool isBias, int offset) in ParametersOf(name, conv.Geometry))
                    {
                        tensors.Add(new ModuleTensor(tensor, shape, layer, isBias, offset));
                    }

                    break;
                case ILinearLayer linear:
                    tensors.Add(new ModuleTensor(name + ".weight", new[] { linear.OutFeatures, linear.InFeatures }, layer, false, 0));
                    if (!linear.Bias.IsEmpty)
                    {
                        tensors.Add(new ModuleTensor(name + ".bias", new[] { linear.OutFeatures }, layer, true, 0));
                    }

                    break;
            }
        }

        foreach (ModuleTensor t in tensors)
        {
            int available = Whole(t).Length;
            if (t.Offset + Count(t.Shape) > available)
            {
                throw new ArgumentException(
                    $"Tensor '{t.Name}' [{string.Join(", ", t.Shape)}] needs {Count(t.Shape)} floats from offset {t.Offset} of its layer's "
                    + $"{(t.IsBias ? "Bias" : "Weights")}, which holds {available}.", nameof(modules));
            }
        }

        return tensors;
    }

    /// <summary>The whole Weights or Bias span a tensor lives in.</summary>
    private static Span<float> Whole(ModuleTensor t)
    {
        if (t.Layer is IConvLayer conv)
        {
            return t.IsBias ? conv.Bias : conv.Weights;
        }

        var linear = (ILinearLayer)t.Layer;
        return t.IsBias ? linear.Bias : linear.Weights;
    }

    /// <summary>Exactly the floats of one tensor in its layer.</summary>
    private static Span<float> Target(ModuleTensor t) => Whole(t).Slice(t.Offset, (int)Count(t.Shape));

    /// <summary>A layer's tensors: name, PyTorch shape, and where they sit in its Weights or Bias span.</summary>
    private static List<(string Name, int[] Shape, bool IsBias, int Offset)> ParametersOf(string name, ConvGeometry g)
    {
        var kernel = new List<int>();
        if (g.Dimensions == 3)
        {
            kernel.Add(g.KernelD);
        }

        if (g.Dimensions >= 2)
        {
            kernel.Add(g.KernelH);
        }

        kernel.Add(g.KernelW);
        int[] Shape(int a, int b, IEnumerable<int> rest)
        {
            var shape = new List<int> { a, b };
            shape.AddRange(rest);
            return shape.ToArray();
        }

        var list = new List<(string, int[], bool, int)>();
        switch (g.Kind)
        {
            case ConvKind.Separable:
                int[] ones = g.Dimensions == 1 ? new[] { 1 } : g.Dimensions == 3 ? new[] { 1, 1, 1 } : new[] { 1, 1 };
                list.Add((name + ".depthwise.weight", Shape(g.DepthwiseChannels, 1, kernel), false, 0));
                list.Add((name + ".pointwise.weight", Shape(g.OutChannels, g.DepthwiseChannels, ones), false, g.DepthwiseWeightCount));
                if (g.HasBias)
                {
                    list.Add((name + ".pointwise.bias", new[] { g.OutChannels }, true, 0));
                }

                return list;
            case ConvKind.Transposed:
                list.Add((name + ".weight", Shape(g.InChannels, g.OutChannelsPerGroup, kernel), false, 0));
                break;
            default:
                list.Add((name + ".weight", Shape(g.OutChannels, g.InChannelsPerGroup, kernel), false, 0));
                break;
        }

        if (g.HasBias)
        {
            list.Add((name + ".bias", new[] { g.OutChannels }, true, 0));
        }

        return list;
    }

    /// <summary>Writes the parameters as a safetensors file (float32, in the given order), e.g. for PyTorch's <c>load_file</c>.</summary>
    public static void Save(Stream stream, IReadOnlyList<NamedParameter> parameters)
    {
        var header = new StringBuilder("{");
        long offset = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            NamedParameter p = parameters[i];
            if (Count(p.Shape) != p.Destination.Length)
            {
                throw new ArgumentException($"Parameter '{p.Name}' has shape [{string.Join(", ", p.Shape)}] but {p.Destination.Length} values.", nameof(parameters));
            }

            long bytes = 4L * p.Destination.Length;
            header.Append(i == 0 ? "" : ",").Append(JsonString(p.Name)).Append(":{\"dtype\":\"F32\",\"shape\":[")
                .Append(string.Join(",", p.Shape)).Append("],\"data_offsets\":[")
                .Append(offset.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append((offset + bytes).ToString(CultureInfo.InvariantCulture)).Append("]}");
            offset += bytes;
        }

        header.Append('}');
        byte[] json = Encoding.UTF8.GetBytes(header.ToString());
        int padding = (8 - json.Length % 8) % 8; // the format allows trailing spaces; aligned data is friendlier to readers
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)(json.Length + padding));
        stream.Write(length);
        stream.Write(json);
        for (int i = 0; i < padding; i++)
        {
            stream.WriteByte((byte)' ');
        }

        Span<byte> one = stackalloc byte[4];
        foreach (NamedParameter p in parameters)
        {
            ReadOnlySpan<float> values = p.Destination.Span;
            if (BitConverter.IsLittleEndian)
            {
                stream.Write(MemoryMarshal.AsBytes(values));
                continue;
            }

            foreach (float v in values)
            {
                BinaryPrimitives.WriteSingleLittleEndian(one, v);
                stream.Write(one);
            }
        }
    }

    /// <summary>The tensors a file holds: name, dtype and shape, in header order.</summary>
    public static IReadOnlyList<(string Name, string DType, long[] Shape)> Describe(ReadOnlySpan<byte> file)
    {
        var list = new List<(string, string, long[])>();
        foreach (KeyValuePair<string, Entry> e in ReadHeader(file, out _))
        {
            list.Add((e.Key, e.Value.DType, e.Value.Shape));
        }

        return list;
    }

    private readonly record struct Entry(string DType, long[] Shape, long Begin, long End);

    private static Dictionary<string, Entry> ReadHeader(ReadOnlySpan<byte> file, out int dataStart)
    {
        if (file.Length < 8)
        {
            throw new InvalidDataException($"A safetensors file starts with an 8-byte header length; this one has {file.Length} bytes.");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > MaxHeaderBytes || (long)headerLength > file.Length - 8)
        {
            throw new InvalidDataException($"The safetensors header claims {headerLength} bytes, but the file has {file.Length - 8} after the length.");
        }

        dataStart = 8 + (int)headerLength;
        long dataLength = file.Length - dataStart;
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(file.Slice(8, (int)headerLength));
        try
        {
            Expect(ref reader, JsonTokenType.StartObject);
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                Expect(ref reader, JsonTokenType.StartObject);
                if (name == "__metadata__")
                {
                    reader.Skip();
                    continue;
                }

                string? dtype = null;
                long[]? shape = null, offsets = null;
                while (Next(ref reader) == JsonTokenType.PropertyName)
                {
                    string key = reader.GetString()!;
                    switch (key)
                    {
                        case "dtype":
                            Expect(ref reader, JsonTokenType.String);
                            dtype = reader.GetString();
                            break;
                        case "shape":
                            shape = ReadLongs(ref reader);
                            break;
                        case "data_offsets":
                            offsets = ReadLongs(ref reader);
                            break;
                        default:
                            Next(ref reader);
                            reader.Skip();
                            break;
                    }
                }

                if (dtype is null || shape is null || offsets is null || offsets.Length != 2)
                {
                    throw new InvalidDataException($"Tensor '{name}' lacks dtype, shape or a [begin, end] data_offsets pair.");
                }

                if (offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
                {
                    throw new InvalidDataException($"Tensor '{name}' spans bytes [{offsets[0]}, {offsets[1]}) of a {dataLength}-byte data section.");
                }

                long elements = 1;
                foreach (long d in shape)
                {
                    elements = d < 0 ? -1 : elements * d;
                }

                if (dtype == "F32" && elements * 4 != offsets[1] - offsets[0])
                {
                    throw new InvalidDataException($"Tensor '{name}' is F32 [{string.Join(", ", shape)}] ({elements} values) but spans {offsets[1] - offsets[0]} bytes.");
                }

                entries[name] = new Entry(dtype, shape, offsets[0], offsets[1]);
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("The safetensors header is not valid JSON: " + e.Message, e);
        }

        return entries;
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new InvalidDataException("The safetensors header ends early.");
        }

        return reader.TokenType;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (Next(ref reader) != type)
        {
            throw new InvalidDataException($"The safetensors header has {reader.TokenType} where {type} belongs.");
        }
    }

    private static long[] ReadLongs(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray);
        var values = new List<long>();
        while (Next(ref reader) == JsonTokenType.Number)
        {
            values.Add(reader.GetInt64());
        }

        if (reader.TokenType != JsonTokenType.EndArray)
        {
            throw new InvalidDataException($"The safetensors header has {reader.TokenType} in a list of integers.");
        }

        return values.ToArray();
    }

    private static bool ShapeEquals(long[] found, int[] expected)
    {
        if (found.Length != expected.Length)
        {
            return false;
        }

        for (int i = 0; i < found.Length; i++)
        {
            if (found[i] != expected[i])
            {
                return false;
            }
        }

        return true;
    }

    private static long Count(int[] shape)
    {
        long count = 1;
        foreach (int d in shape)
        {
            count *= d;
        }

        return count;
    }

    private static string JsonString(string value)
    {
        var s = new StringBuilder("\"");
        foreach (char c in value)
        {
            _ = c switch
            {
                '"' => s.Append("\\\""),
                '\\' => s.Append("\\\\"),
                < ' ' => s.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => s.Append(c),
            };
        }

        return s.Append('"').ToString();
    }
}
