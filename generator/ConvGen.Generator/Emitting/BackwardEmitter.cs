using System.Linq;
using ConvGen.Generator.Helpers;
using ConvGen.Generator.Model;
using ConvGen.Generator.Planning;

namespace ConvGen.Generator.Emitting;

/// <summary>
/// A convolution layer's backward pass (<c>ITrainableLayer</c>): the activation's derivative, the bias gradient,
/// the weight gradient by the generated weight-gradient kernel, and the input gradient by the generated kernels of
/// the layer that is this one's transpose (<see cref="KernelPlan.BackwardData"/>). Layers without those kernels
/// (separable layers, general-kernel layers, channels from the constructor) run the runtime's general backward pass.
/// </summary>
internal static class BackwardEmitter
{
    /// <summary>Name of the weight-gradient kernel class of <paramref name="plan"/>: the forward kernel's name with WeightGradient for Kernel.</summary>
    public static string WeightGradientClassName(KernelPlan plan)
    {
        string forward = KernelEmitter.KernelClassName(plan);
        return forward.Substring(0, forward.Length - "Kernel".Length) + "WeightGradient";
    }

    private static string PhaseField(int index) => $"_inputGradientPhase{index}";

    /// <summary>Whether the weight gradient has a generated kernel: specialized convolutions, and transposed layers whose transpose is one.</summary>
    private static KernelPlan? WeightGradientPlan(KernelPlan plan)
        => plan.Geometry.Kind == LayerKind.Convolution && plan.IsSpecialized ? plan
        : plan.Geometry.Kind == LayerKind.Transposed && plan.BackwardData is { IsSpecialized: true } data ? data
        : null;

    /// <summary>Whether the backward pass runs a generated kernel for the weight gradient (otherwise the runtime's general pass does everything).</summary>
    public static bool IsSpecialized(KernelPlan plan) => WeightGradientPlan(plan) is not null;

    /// <summary>Whether the input gradient has generated kernels too; otherwise the general pass makes it.</summary>
    private static bool HasDataKernels(KernelPlan plan) => IsSpecialized(plan) && plan.BackwardData is not null;

    public static void EmitKernels(CodeWriter w, KernelPlan plan)
    {
        if (!IsSpecialized(plan))
        {
            return;
        }

        if (HasDataKernels(plan) && plan.BackwardData!.Phases is { } phases)
        {
            foreach (PhasePlan phase in phases)
            {
                w.Line();
                KernelEmitter.Emit(w, phase.Plan);
            }
        }
        else if (HasDataKernels(plan))
        {
            w.Line();
            KernelEmitter.Emit(w, plan.BackwardData!);
        }

        KernelPlan weights = WeightGradientPlan(plan)!;
        w.Line();
        WeightGradientEmitter.Emit(w, WeightGradientClassName(weights), weights.Geometry, plan.VectorWidths.ToArray());
    }

    /// <summary>The header line saying how the backward pass runs.</summary>
    public static string Describe(KernelPlan plan)
    {
        if (!IsSpecialized(plan))
        {
            return "general: the runtime's backward pass for any geometry (" + (plan.Geometry.Kind == LayerKind.Separable
                ? "separable layers are not specialized backward yet"
                : !plan.Geometry.HasStaticChannels ? "channels come from the constructor" : "no specialized forward kernel or transpose") + ")";
        }

        string input = !HasDataKernels(plan)
            ? "the runtime's general pass (the transposed split does not cover " + (plan.Geometry.HasStaticChannels ? "this kernel, stride and dilation" : "channels from the constructor") + ")"
            : plan.BackwardData!.Phases is { } phases
            ? $"the transposed convolution with the same weights, {phases.Length} phase kernel(s)"
            : "the convolution with the same weights, one specialized kernel";
        return $"specialized: weight gradient by a generated kernel (output-gradient rows against staged input rows); input gradient by {input}";
    }

    /// <summary>A backward buffer of the running part (see <c>PartBuffers</c>), as a ref for <c>LayerBuffer.Get</c>.</summary>
    private static string Buffer(string name) => $"ref _backwardBuffers.Slot(part, BackwardBuffer{name})";

    /// <summary>The backward pass's buffers this layer needs, in slot order.</summary>
    private static System.Collections.Generic.List<(string Name, string Holds)> Buffers(KernelPlan plan)
    {
        LayerGeometry g = plan.Geometry;
        var buffers = new System.Collections.Generic.List<(string, string)>();
        if (g.Activation != LayerActivation.None)
        {
            buffers.Add(("PreActivationGradient", "the gradient before the activation"));
        }

        if (NeedsPreActivation(g))
        {
            buffers.Add(("Converted", "the weights as the general transposed kernel reads them"));
        }

        if (HasDataKernels(plan) ? g.Kind == LayerKind.Convolution : g.Kind == LayerKind.Separable || IsSpecialized(plan))
        {
            buffers.Add(("InputGradient", HasDataKernels(plan) ? "the gradient of the padded input" : "a weight gradient for the general pass"));
        }

        if (HasDataKernels(plan) && plan.BackwardData!.Phases is not null)
        {
            buffers.Add(("PhaseGradient", "one phase of the input gradient"));
        }

        if (IsSpecialized(plan) && g.Kind == LayerKind.Convolution && g.PaddingMode != LayerPaddingMode.Zeros)
        {
            buffers.Add(("PaddedInput", "the input padded as the forward pass read it"));
        }

        return buffers;
    }

    public static void WriteState(CodeWriter w, KernelPlan plan)
    {
        w.Line("private global::ConvGen.Training.Parameter[]? _parameters;");
        w.Line("// Parameter gradients of the parts of a threaded backward pass after the first, added to the parameters after it.");
        w.Line("private float[]? _partGradients;");
        var buffers = Buffers(plan);
        if (buffers.Count > 0)
        {
            w.Line("// The backward pass's own buffers, one set per part of a threaded pass, grown to the largest batch and reused.");
            w.Line($"private readonly global::ConvGen.Internal.PartBuffers _backwardBuffers = new global::ConvGen.Internal.PartBuffers({buffers.Count});");
            for (int b = 0; b < buffers.Count; b++)
            {
                w.Line($"private const int BackwardBuffer{buffers[b].Name} = {b}; // {buffers[b].Holds}");
            }
        }

        if (HasDataKernels(plan) && plan.BackwardData!.Phases is { } phases)
        {
            LayerGeometry d = plan.BackwardData.Geometry;
            w.Line("// Per phase of the input gradient: the taps that reach it, as the weights of a stride-1 convolution.");
            int i = 0;
            foreach (PhasePlan p in phases)
            {
                w.Line($"private readonly float[] {PhaseField(i)} = new float[{LayerEmitter.N((long)d.OutChannels * d.InChannelsPerGroup * p.Md * p.Mh * p.Mw)}];");
                i++;
            }
        }
    }

    public static void WriteMembers(CodeWriter w, KernelPlan plan, LayerGeometry g, string geometry, string literalName)
    {
        bool phases = HasDataKernels(plan) && plan.BackwardData!.Phases is not null;
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line($"public global::System.Collections.Generic.IReadOnlyList<global::ConvGen.Training.Parameter> Parameters => _parameters ??= global::ConvGen.Internal.ConvParameters.Create({geometry}, _weights, _bias);");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("/// <remarks>");
        w.Line("/// One backward pass at a time per layer: it accumulates into the shared parameter gradients and reuses the layer's");
        w.Line("/// buffers. <see cref=\"Threads\"/> applies as for <see cref=\"Forward\"/>: a large batch is split by image.");
        w.Line("/// </remarks>");
        using (w.Block("public void Backward(global::System.ReadOnlySpan<float> input, global::ConvGen.TensorShape inputShape, global::System.ReadOnlySpan<float> output, global::System.ReadOnlySpan<float> outputGradient, global::System.Span<float> inputGradient)"))
        {
            w.Line($"global::ConvGen.TensorShape outputShape = global::ConvGen.Internal.LayerGuard.CheckForward({geometry}, input.Length, inputShape, output.Length, {literalName});");
            w.Line($"global::ConvGen.Internal.NetworkGuard.CheckGradients({literalName}, inputShape, outputShape, outputGradient.Length, inputGradient.Length);");
            if (phases)
            {
                using (w.Block("if (!inputGradient.IsEmpty)"))
                {
                    w.Line("ArrangeInputGradientWeights(); // once, before the parts share them");
                }

            }

            w.Line($"int parts = global::ConvGen.Internal.BackwardThreads.Parts(Threads, {geometry}, inputShape, outputShape);");
            if (Buffers(plan).Count > 0)
            {
                w.Line("_backwardBuffers.Reserve(parts);");
            }

            w.Line("global::ConvGen.Internal.BackwardThreads.Run(this, Parameters, ref _partGradients, input, inputShape, output, outputShape, outputGradient, inputGradient, parts);");
        }

        w.Line();
        w.Line("/// <summary>The backward pass of the part's images; its parameter gradients go where <c>call.Gradient</c> says.</summary>");
        using (w.Block("void global::ConvGen.Internal.IParallelBackward.BackwardPart(in global::ConvGen.Internal.BackwardCall call, int part, int parts)"))
        {
            w.Line("int first = call.FirstImage(part, parts), end = call.FirstImage(part + 1, parts);");
            w.Line("global::System.ReadOnlySpan<float> input = call.Input(first, end), output = call.Output(first, end), outputGradient = call.OutputGradient(first, end);");
            w.Line("global::System.Span<float> inputGradient = call.InputGradient(first, end);");
            w.Line("global::ConvGen.TensorShape inputShape = call.InputShape with { N = end - first }, outputShape = call.OutputShape with { N = end - first };");
            WriteActivation(w, g, geometry);
            if (IsSpecialized(plan))
            {
                WriteSpecialized(w, plan, g, geometry, literalName);
            }
            else
            {
                WriteGeneral(w, g, geometry);
            }
        }

        if (phases)
        {
            LayerGeometry d = plan.BackwardData!.Geometry;
            TransposedEmitter.WriteArrange(w, plan.BackwardData, d, "ArrangeInputGradientWeights", PhaseField, "OutputChannels", "InputChannels",
                "/// <summary>Copies each input-gradient phase's taps out of the OIHW weights (read as a transposed layer's [in, out/Groups, Kh, Kw]), flipped.</summary>");
        }
    }

    private static bool NeedsPreActivation(LayerGeometry g)
        => g.Activation == LayerActivation.SiLU || (g.Activation == LayerActivation.LeakyReLU && g.NegativeSlope < 0);

    /// <summary>dz, the gradient with respect to the pre-activation output.</summary>
    private static void WriteActivation(CodeWriter w, LayerGeometry g, string geometry)
    {
        if (g.Activation == LayerActivation.None)
        {
            w.Line("global::System.ReadOnlySpan<float> dz = outputGradient;");
            return;
        }

        string act = "global::ConvGen.Activation." + g.Activation;
        string slope = LayerText.F(g.NegativeSlope);
        w.Line($"global::System.Span<float> preActivationGradient = global::ConvGen.Internal.LayerBuffer.Get({Buffer("PreActivationGradient")}, output.Length);");
        if (NeedsPreActivation(g))
        {
            w.Line($"// {g.Activation}{(g.Activation == LayerActivation.LeakyReLU ? " with a negative slope" : "")} is not invertible: its derivative needs the pre-activation, computed again.");
            w.Line($"global::ConvGen.Internal.ConvBackwardSupport.PreActivation({geometry}, input, inputShape, _weights, _bias, preActivationGradient, outputShape, {Buffer("Converted")});");
            w.Line($"global::ConvGen.Internal.ActivationGradient.FromPreActivation({act}, {slope}, preActivationGradient, outputGradient, preActivationGradient);");
        }
        else
        {
            w.Line($"// The derivative of {g.Activation} is a function of its output, which the forward pass kept.");
            w.Line($"global::ConvGen.Internal.ActivationGradient.FromOutput({act}, {slope}, output, outputGradient, preActivationGradient);");
        }

        w.Line("global::System.ReadOnlySpan<float> dz = preActivationGradient;");
    }

    private static void WriteGeneral(CodeWriter w, LayerGeometry g, string geometry)
    {
        string bias = g.HasBias ? $"call.Gradient({(g.Kind == LayerKind.Separable ? 2 : 1)}, part)" : "default";
        if (g.Kind == LayerKind.Separable)
        {
            w.Line("// The general pass takes one weight gradient for both halves; it is added to the two parameters after.");
            w.Line($"global::System.Span<float> weightGradient = global::ConvGen.Internal.LayerBuffer.Get({Buffer("InputGradient")}, _weights.Length);");
            w.Line("weightGradient.Clear();");
            w.Line($"global::ConvGen.Internal.GeneralConvBackward.Backward({geometry}, input, inputShape, _weights, dz, outputShape, inputGradient, weightGradient, {bias});");
            w.Line("int depthwise = call.Gradient(0, part).Length;");
            w.Line("global::ConvGen.Internal.NetworkOps.AddInPlace(call.Gradient(0, part), weightGradient.Slice(0, depthwise), global::ConvGen.Activation.None, 0f);");
            w.Line("global::ConvGen.Internal.NetworkOps.AddInPlace(call.Gradient(1, part), weightGradient.Slice(depthwise), global::ConvGen.Activation.None, 0f);");
            return;
        }

        w.Line($"global::ConvGen.Internal.GeneralConvBackward.Backward({geometry}, input, inputShape, _weights, dz, outputShape, inputGradient, call.Gradient(0, part), {bias});");
    }

    private static void WriteSpecialized(CodeWriter w, KernelPlan plan, LayerGeometry g, string geometry, string literalName)
    {
        string weightKernel = $"global::{KernelEmitter.KernelNamespace}.{WeightGradientClassName(WeightGradientPlan(plan)!)}";
        if (g.HasBias)
        {
            w.Line("global::ConvGen.Internal.GeneralConvBackward.AddChannelSums(dz, outputShape.N, outputShape.C, outputShape.D * outputShape.H * outputShape.W, call.Gradient(1, part));");
        }

        string pads = $"new global::ConvGen.Internal.Pads({g.PadFront}, {g.PadBack}, {g.PadH}, {g.PadBottom}, {g.PadW}, {g.PadRight})";
        if (g.Kind == LayerKind.Transposed)
        {
            // The transpose of a transposed layer is a convolution over the output gradient with the same weights and pads.
            w.Line("// The weight gradient pairs each output-gradient window with the input element it came from: the convolution");
            w.Line("// that is this layer's transpose, with the output gradient as its input and the input as its output gradient.");
            w.Line($"{weightKernel}.Run(dz, outputShape, input, inputShape, call.Gradient(0, part), {pads});");
            using (w.Block("if (!inputGradient.IsEmpty)"))
            {
                w.Line($"global::{KernelEmitter.KernelNamespace}.{KernelEmitter.KernelClassName(plan.BackwardData!)}.Run(dz, outputShape, inputGradient, inputShape, _weights, global::System.Array.Empty<float>(), 0, 1);");
            }

            return;
        }

        bool zeros = g.PaddingMode == LayerPaddingMode.Zeros;
        if (zeros)
        {
            w.Line($"global::ConvGen.Internal.Pads pads = {pads};");
            w.Line($"{weightKernel}.Run(input, inputShape, dz, outputShape, call.Gradient(0, part), pads);");
        }
        else
        {
            w.Line($"// {g.PaddingMode} padding: the weight gradient reads the input padded as the forward pass read it.");
            w.Line($"global::ConvGen.Internal.Pads pads = {pads};");
            w.Line("global::ConvGen.TensorShape paddedShape = global::ConvGen.Internal.ConvBackwardSupport.Padded(inputShape, pads);");
            w.Line($"global::System.Span<float> padded = global::ConvGen.Internal.LayerBuffer.Get({Buffer("PaddedInput")}, paddedShape.ElementCount);");
            w.Line($"global::ConvGen.Internal.ConvBackwardSupport.Pad(input, inputShape, pads, global::ConvGen.PaddingMode.{g.PaddingMode}, padded);");
            w.Line($"{weightKernel}.Run(padded, paddedShape, dz, outputShape, call.Gradient(0, part), default);");
        }

        using (w.Block("if (inputGradient.IsEmpty)"))
        {
            w.Line("return;");
        }

        if (plan.BackwardData is not { } data)
        {
            w.Line();
            w.Line("// No specialized input-gradient kernel for this geometry: the general pass makes it (and a weight gradient that is dropped).");
            w.Line($"global::System.Span<float> dropped = global::ConvGen.Internal.LayerBuffer.Get({Buffer("InputGradient")}, _weights.Length);");
            w.Line($"global::ConvGen.Internal.GeneralConvBackward.Backward({geometry}, input, inputShape, _weights, dz, outputShape, inputGradient, dropped, default);");
            return;
        }

        LayerGeometry d = data.Geometry;
        w.Line();
        string target = "paddedGradient", targetShape = "paddedShape";
        if (zeros)
        {
            w.Line("global::ConvGen.TensorShape paddedShape = global::ConvGen.Internal.ConvBackwardSupport.Padded(inputShape, pads);");
        }

        w.Line(zeros
            ? "// The transposed pass yields the gradient of the zero-padded input; FoldPadded crops the border."
            : $"// The transposed pass yields the gradient of the padded input; FoldPadded adds its border back where {g.PaddingMode.ToString().ToLowerInvariant()} padding read it.");
        w.Line($"global::System.Span<float> paddedGradient = global::ConvGen.Internal.LayerBuffer.Get({Buffer("InputGradient")}, paddedShape.ElementCount);");
        if (g.StrideD > 1 || g.StrideH > 1 || g.StrideW > 1)
        {
            w.Line("// A stride can leave the last rows or columns unread, and their gradient is zero; the phases write the rest.");
            w.Line($"{target}.Clear();");
        }

        w.Line($"int planes = outputShape.N * InputChannels;");
        int i = 0;
        foreach (PhasePlan p in data.Phases!.Value)
        {
            string kernel = $"global::{KernelEmitter.KernelNamespace}.{KernelEmitter.KernelClassName(p.Plan)}";
            string planesD = TransposedEmitter.Size(d.InD, "outputShape.D", p.Qd), rows = TransposedEmitter.Size(d.InH, "outputShape.H", p.Qh), columns = TransposedEmitter.Size(d.InW, "outputShape.W", p.Qw);
            string shape = g.Dimensions switch
            {
                1 => $"new global::ConvGen.TensorShape(outputShape.N, InputChannels, {columns})",
                3 => $"new global::ConvGen.TensorShape(outputShape.N, InputChannels, {planesD}, {rows}, {columns})",
                _ => $"new global::ConvGen.TensorShape(outputShape.N, InputChannels, {rows}, {columns})",
            };
            w.Line($"// Phase {i}: input rows {p.FirstH} + {g.StrideH}t, columns {p.FirstW} + {g.StrideW}t{(g.Dimensions == 3 ? $", planes {p.FirstD} + {g.StrideD}t" : "")}, from {p.Md * p.Mh * p.Mw} tap(s).");
            w.Line($"if ({planesD} > 0 && {rows} > 0 && {columns} > 0)");
            w.Line("{");
            w.Indent();
            w.Line($"global::ConvGen.TensorShape phaseShape = {shape};");
            w.Line($"global::System.Span<float> phase = global::ConvGen.Internal.LayerBuffer.Get({Buffer("PhaseGradient")}, phaseShape.ElementCount);");
            w.Line($"{kernel}.Run(dz, outputShape, phase, phaseShape, {PhaseField(i)}, global::System.Array.Empty<float>(), 0, 1);");
            w.Line($"global::ConvGen.Internal.PhaseScatter.Scatter(phase, {target}, planes, phaseShape.D, phaseShape.H, phaseShape.W, {targetShape}.D, {targetShape}.H, {targetShape}.W, {p.FirstD}, {p.FirstH}, {p.FirstW}, {g.StrideD}, {g.StrideH}, {g.StrideW});");
            w.Outdent();
            w.Line("}");
            i++;
        }

        w.Line($"global::ConvGen.Internal.ConvBackwardSupport.FoldPadded(paddedGradient, inputShape, pads, global::ConvGen.PaddingMode.{g.PaddingMode}, inputGradient);");
    }
}
