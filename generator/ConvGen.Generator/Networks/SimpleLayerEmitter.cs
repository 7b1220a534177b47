using System.Globalization;
using ConvGen.Generator.Emitting;
using ConvGen.Generator.Helpers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Networks;

/// <summary>
/// Emits pooling and linear layer classes: their arguments as constants and an <c>ITrainableLayer</c> implementation
/// (forward and backward pass, and for linear layers the weight and bias as parameters) that calls the runtime's
/// pooling, linear and activation-gradient kernels with those constants.
/// </summary>
internal static class SimpleLayerEmitter
{
    public static string HintName(DeclaredType type) => NetworkEmitter.HintName(type, ".Layer.g.cs");

    public static string Emit(PoolSpec spec)
    {
        var w = new CodeWriter();
        string kind = spec.IsMax ? "max" : "average";
        int k = spec.K.Value, s = spec.Stride, p = spec.Padding;
        Header(w, spec.Type, spec.AttributeName, new[]
        {
            $"{(spec.IsMax ? "Max" : "Average")} pooling: window {N(k)}, stride {N(s)}, padding {N(p)} on every spatial axis of its input"
                + (spec.IsMax ? " (padding never wins the maximum)" : spec.CountIncludePad ? " (padded zeros count in the mean)" : " (padded zeros do not count in the mean)"),
            $"output size per axis = floor((n + 2*{N(p)} - {N(k)}) / {N(s)}) + 1",
        });
        int depth = DeclarationWriter.Open(w, spec.Type.Namespace, spec.Type.ContainingTypes);
        w.Line($"/// <summary>A {kind}-pooling layer (window {N(k)}, stride {N(s)}, padding {N(p)}), generated from its [{spec.AttributeName}] attribute.</summary>");
        w.Line(LayerEmitter.GeneratedCode);
        using (w.Block($"partial {spec.Type.Keyword} {spec.Type.ClassName} : global::ConvGen.ITrainableLayer"))
        {
            Const(w, "WindowSize", k, "Window size on every spatial axis.");
            Const(w, "Stride", s, "Stride on every spatial axis.");
            Const(w, "Padding", p, "Padding on both ends of every spatial axis.");
            if (!spec.IsMax)
            {
                w.Line("/// <summary>Whether padded zeros count in the divisor (PyTorch's count_include_pad).</summary>");
                w.Line($"public const bool CountIncludePad = {(spec.CountIncludePad ? "true" : "false")};");
            }

            string max = spec.IsMax ? "true" : "false";
            string include = spec.IsMax ? "false" : "CountIncludePad";
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Line($"public global::ConvGen.TensorShape GetOutputShape(global::ConvGen.TensorShape input) => global::ConvGen.Internal.PoolingKernel.OutputShape({max}, input, WindowSize, Stride, Padding, \"{spec.Type.ClassName}\");");
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Line("public void Forward(global::System.ReadOnlySpan<float> input, global::ConvGen.TensorShape inputShape, global::System.Span<float> output)");
            w.Line($"    => global::ConvGen.Internal.PoolingKernel.Forward({max}, input, inputShape, output, WindowSize, Stride, Padding, {include}, \"{spec.Type.ClassName}\");");
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Line("/// <remarks>Empty: pooling has nothing to learn.</remarks>");
            w.Line("public global::System.Collections.Generic.IReadOnlyList<global::ConvGen.Training.Parameter> Parameters => global::System.Array.Empty<global::ConvGen.Training.Parameter>();");
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Line(spec.IsMax
                ? "/// <remarks>Each output gradient goes to its window's maximum in the input (the first of equal ones, as PyTorch).</remarks>"
                : "/// <remarks>Each output gradient is spread evenly over its window, divided as the forward pass divides.</remarks>");
            BackwardSignature(w);
            using (w.Block())
            {
                w.Line("global::ConvGen.TensorShape outputShape = GetOutputShape(inputShape);");
                Checks(w, spec.Type.ClassName);
                if (spec.IsMax && spec.Stride == spec.K.Value && spec.Padding == 0)
                {
                    w.Line("// Windows that neither overlap nor pad: each input is in at most one window, and the forward pass's output");
                    w.Line("// names its maximum, so one pass over the input finds every winner without searching a window twice.");
                    w.Line($"global::ConvGen.Internal.PoolingKernel.MaxBackwardDisjoint(input, inputShape, output, outputGradient, inputGradient, WindowSize, \"{spec.Type.ClassName}\");");
                }
                else
                {
                    w.Line($"global::ConvGen.Internal.PoolingKernel.Backward({max}, input, inputShape, outputGradient, inputGradient, WindowSize, Stride, Padding, {include}, \"{spec.Type.ClassName}\");");
                }
            }
        }

        DeclarationWriter.Close(w, depth);
        return Finish(w);
    }

    public static string Emit(LinearSpec spec)
    {
        var w = new CodeWriter();
        int fin = spec.InFeatures.Value, fout = spec.OutFeatures.Value;
        string activation = ((LayerActivation)spec.Activation).ToString();
        string slope = spec.NegativeSlope.ToString("R", CultureInfo.InvariantCulture) + "f";
        Header(w, spec.Type, "LinearLayer", new[]
        {
            $"Linear {N(fin)} -> {N(fout)}, {(spec.HasBias ? "bias" : "no bias")}" + (spec.Activation != 0 ? ", then " + activation : ""),
            $"Weights   [{N(fout)}, {N(fin)}] (PyTorch nn.Linear.weight) = {N((long)fin * fout)} weights; {N(spec.ParameterCount)} parameters",
            "y[n, o] = " + (spec.Activation != 0 ? activation + "(" : "") + "sum_i x[n, i] * W[o, i]" + (spec.HasBias ? " + b[o]" : "") + (spec.Activation != 0 ? ")" : "")
                + ", reading each sample's C*D*H*W values as its features",
        });
        int depth = DeclarationWriter.Open(w, spec.Type.Namespace, spec.Type.ContainingTypes);
        w.Line($"/// <summary>A linear layer {N(fin)} -> {N(fout)}, generated from its [LinearLayer] attribute.</summary>");
        w.Line(LayerEmitter.GeneratedCode);
        using (w.Block($"partial {spec.Type.Keyword} {spec.Type.ClassName} : global::ConvGen.ILinearLayer, global::ConvGen.ITrainableLayer"))
        {
            Const(w, "InputFeatures", fin, "Features per sample the layer reads.");
            Const(w, "OutputFeatures", fout, "Features per sample the layer writes.");
            w.Line("/// <summary>Whether each output feature has a bias.</summary>");
            w.Line($"public const bool HasBias = {(spec.HasBias ? "true" : "false")};");
            Const(w, "WeightCount", (long)fin * fout, "Weights: OutputFeatures * InputFeatures.");
            Const(w, "ParameterCount", spec.ParameterCount, "Weights plus biases.");
            w.Line();
            w.Line("private readonly float[] _weights = new float[WeightCount];");
            w.Line(spec.HasBias ? "private readonly float[] _bias = new float[OutputFeatures];" : "private readonly float[] _bias = global::System.Array.Empty<float>();");
            w.Line("private global::ConvGen.Training.Parameter[]? _parameters;");
            if (spec.Activation != 0)
            {
                w.Line("private float[]? _preActivationGradient;");
            }

            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Line("public int InFeatures => InputFeatures;");
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Line("public int OutFeatures => OutputFeatures;");
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Line("public global::System.Span<float> Weights => _weights;");
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Line("public global::System.Span<float> Bias => _bias;");
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Line($"public global::ConvGen.TensorShape GetOutputShape(global::ConvGen.TensorShape input) => global::ConvGen.Internal.LinearKernel.OutputShape(input, InputFeatures, OutputFeatures, \"{spec.Type.ClassName}\");");
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Line("public void Forward(global::System.ReadOnlySpan<float> input, global::ConvGen.TensorShape inputShape, global::System.Span<float> output)");
            w.Line($"    => global::ConvGen.Internal.LinearKernel.Forward(input, inputShape, output, _weights, _bias, InputFeatures, OutputFeatures, global::ConvGen.Activation.{activation}, {slope}, \"{spec.Type.ClassName}\");");
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Line(spec.HasBias ? "/// <remarks>weight [OutputFeatures, InputFeatures], then bias [OutputFeatures], over the layer's own arrays.</remarks>" : "/// <remarks>weight [OutputFeatures, InputFeatures], over the layer's own array.</remarks>");
            w.Line("public global::System.Collections.Generic.IReadOnlyList<global::ConvGen.Training.Parameter> Parameters => _parameters ??= new global::ConvGen.Training.Parameter[]");
            using (w.Block(suffix: ";"))
            {
                w.Line("new global::ConvGen.Training.Parameter(\"weight\", _weights, OutputFeatures, InputFeatures),");
                if (spec.HasBias)
                {
                    w.Line("new global::ConvGen.Training.Parameter(\"bias\", _bias, OutputFeatures),");
                }
            }

            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Line("/// <remarks>One backward pass at a time per layer: it adds to the shared parameter gradients and reuses the layer's buffer.</remarks>");
            BackwardSignature(w);
            using (w.Block())
            {
                w.Line("global::ConvGen.TensorShape outputShape = GetOutputShape(inputShape);");
                Checks(w, spec.Type.ClassName);
                w.Line("global::System.Collections.Generic.IReadOnlyList<global::ConvGen.Training.Parameter> parameters = Parameters;");
                string dz = "outputGradient";
                if (spec.Activation != 0)
                {
                    dz = "preActivationGradient";
                    w.Line("global::System.Span<float> preActivationGradient = global::ConvGen.Internal.LayerBuffer.Get(ref _preActivationGradient, output.Length);");
                    if (NeedsPreActivation(spec))
                    {
                        w.Line($"// The derivative of {activation}{((LayerActivation)spec.Activation == LayerActivation.LeakyReLU ? " with a negative slope" : "")} needs the pre-activation z = x·Wᵀ + b: computed again, then turned into dz in place.");
                        w.Line($"global::ConvGen.Internal.LinearKernel.Forward(input, inputShape, preActivationGradient, _weights, _bias, InputFeatures, OutputFeatures, global::ConvGen.Activation.None, 0f, \"{spec.Type.ClassName}\");");
                        w.Line($"global::ConvGen.Internal.ActivationGradient.FromPreActivation(global::ConvGen.Activation.{activation}, {slope}, preActivationGradient, outputGradient, preActivationGradient);");
                    }
                    else
                    {
                        w.Line($"// dz = dy·{activation}'(z), read from the output.");
                        w.Line($"global::ConvGen.Internal.ActivationGradient.FromOutput(global::ConvGen.Activation.{activation}, {slope}, output, outputGradient, preActivationGradient);");
                    }
                }

                string bias = spec.HasBias ? "parameters[1].Gradient" : "default";
                w.Line($"global::ConvGen.Internal.LinearKernel.Backward(input, inputShape, {dz}, _weights, InputFeatures, OutputFeatures, inputGradient, parameters[0].Gradient, {bias}, \"{spec.Type.ClassName}\");");
            }
        }

        DeclarationWriter.Close(w, depth);
        return Finish(w);
    }

    /// <summary>
    /// Whether the activation's derivative needs the pre-activation rather than the output (the runtime's
    /// ActivationGradient.NeedsPreActivation): SiLU, and LeakyReLU with a negative slope.
    /// </summary>
    private static bool NeedsPreActivation(LinearSpec spec)
        => (LayerActivation)spec.Activation == LayerActivation.SiLU
            || ((LayerActivation)spec.Activation == LayerActivation.LeakyReLU && !(spec.NegativeSlope >= 0f));

    private static void BackwardSignature(CodeWriter w)
        => w.Line("public void Backward(global::System.ReadOnlySpan<float> input, global::ConvGen.TensorShape inputShape, global::System.ReadOnlySpan<float> output, global::System.ReadOnlySpan<float> outputGradient, global::System.Span<float> inputGradient)");

    /// <summary>The length checks every generated backward pass starts with, after <c>outputShape</c> is known.</summary>
    private static void Checks(CodeWriter w, string layer)
    {
        w.Line($"global::ConvGen.Internal.NetworkGuard.CheckLengths(\"{layer}\", input.Length, inputShape, output.Length, outputShape);");
        w.Line($"global::ConvGen.Internal.NetworkGuard.CheckGradients(\"{layer}\", inputShape, outputShape, outputGradient.Length, inputGradient.Length);");
    }

    private static void Header(CodeWriter w, DeclaredType type, string attribute, string[] lines)
    {
        w.Line("// <auto-generated/>");
        w.Line($"// ConvGen {LayerEmitter.Version}: layer {type.ClassName}.");
        w.Line("//");
        foreach (string line in lines)
        {
            w.Line("// " + line);
        }

        w.Line("//");
        w.Line($"// Regenerated on every build from the [{attribute}] attribute; edit the attribute, not this file.");
        w.Line("#nullable enable");
        w.Line();
    }

    private static void Const(CodeWriter w, string name, long value, string doc)
    {
        w.Line($"/// <summary>{doc}</summary>");
        w.Line($"public const int {name} = {N(value)};");
    }

    private static string Finish(CodeWriter w) => w.ToString().Replace("%VERSION%", LayerEmitter.Version);

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
