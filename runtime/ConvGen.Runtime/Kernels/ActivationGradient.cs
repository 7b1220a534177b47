using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ConvGen.Internal;

/// <summary>
/// The backward pass of the activations of <see cref="Activation"/>: dz = dy·f′(z), the gradient with respect to the
/// pre-activation z given the gradient dy with respect to the output y = f(z). Generated layers call it; not meant to
/// be called by user code.
/// </summary>
/// <remarks>
/// <para>
/// At the kinks the derivative is PyTorch's (and <see cref="ConvReference"/>'s): ReLU and ReLU6 pass the gradient only
/// where 0 &lt; z (and z &lt; 6), so 0 at z = 0 and at z = 6; LeakyReLU passes it where 0 &lt; z and scales it by the
/// slope elsewhere, z = 0 included. Where the derivative is 0 the result is 0 even for an infinite or NaN dy (a select,
/// not a multiply), as PyTorch's <c>threshold_backward</c> does.
/// </para>
/// <para>
/// ReLU, ReLU6, LeakyReLU with a slope ≥ 0, Sigmoid (y(1 − y)) and Tanh (1 − y²) have derivatives that follow from the
/// output, which the forward pass kept anyway (<see cref="FromOutput"/>); SiLU and LeakyReLU with a negative slope do
/// not (<see cref="NeedsPreActivation"/>), so their layers compute z again and call <see cref="FromPreActivation"/>.
/// </para>
/// <para>
/// Every width (16, 8, 4 lanes and scalar) evaluates the same formulas with the same operations in the same order,
/// without FMA, so the result does not depend on which width handled an element. The destination may be the same
/// span as either source (in place); any other overlap is rejected. No call allocates.
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ActivationGradient
{
    // SiLU's derivative is computed at z clamped to [−SiLUClamp, SiLUClamp]: beyond it the derivative rounds to 0 or 1,
    // and the clamp keeps ±∞ from giving ∞·0 = NaN.
    private const float SiLUClamp = 110f;

    /// <summary>
    /// Whether the derivative of <paramref name="activation"/> needs the pre-activation z rather than the output: true
    /// for SiLU (not invertible) and for LeakyReLU with a negative slope (whose output has the same sign on both sides).
    /// </summary>
    /// <param name="activation">The activation.</param>
    /// <param name="negativeSlope">Slope of <see cref="Activation.LeakyReLU"/> below zero; ignored by the others.</param>
    public static bool NeedsPreActivation(Activation activation, float negativeSlope)
        => activation == Activation.SiLU || (activation == Activation.LeakyReLU && !(negativeSlope >= 0f));

    /// <summary>
    /// Computes <paramref name="preActivationGradient"/>[i] = <paramref name="outputGradient"/>[i]·f′(z) from the output
    /// y = f(z) of the forward pass: ReLU: y &gt; 0; ReLU6: 0 &lt; y &lt; 6; LeakyReLU: 1 where y &gt; 0, else the slope;
    /// Sigmoid: y(1 − y); Tanh: 1 − y²; None: 1 (a copy).
    /// </summary>
    /// <param name="activation">The activation; not one for which <see cref="NeedsPreActivation"/> is true.</param>
    /// <param name="negativeSlope">Slope of <see cref="Activation.LeakyReLU"/> below zero (≥ 0 here); ignored by the others.</param>
    /// <param name="output">The forward pass's outputs y.</param>
    /// <param name="outputGradient">dy, as many values as <paramref name="output"/>.</param>
    /// <param name="preActivationGradient">dz, as many values; may be the same span as either source.</param>
    /// <exception cref="ArgumentException">
    /// The activation needs the pre-activation or is not an <see cref="Activation"/>, the lengths differ, or the
    /// destination partly overlaps a source.
    /// </exception>
    public static void FromOutput(Activation activation, float negativeSlope, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient,
        Span<float> preActivationGradient)
    {
        Check(activation, output, outputGradient, preActivationGradient, nameof(output));
        if (NeedsPreActivation(activation, negativeSlope))
        {
            throw new ArgumentException(
                $"The derivative of {activation}{(activation == Activation.LeakyReLU ? $" with negative slope {negativeSlope}" : "")} cannot be recovered from its output; call FromPreActivation with the pre-activation values.",
                nameof(activation));
        }

        Run<OutputRule>(activation, negativeSlope, output, outputGradient, preActivationGradient);
    }

    /// <summary>
    /// Computes <paramref name="preActivationGradient"/>[i] = <paramref name="outputGradient"/>[i]·f′(z[i]) from the
    /// pre-activation values z, for every activation (SiLU: σ(z)(1 + z(1 − σ(z)))).
    /// </summary>
    /// <param name="activation">The activation.</param>
    /// <param name="negativeSlope">Slope of <see cref="Activation.LeakyReLU"/> below zero; ignored by the others.</param>
    /// <param name="preActivation">The pre-activation values z (the sums before the activation, bias included).</param>
    /// <param name="outputGradient">dy, as many values as <paramref name="preActivation"/>.</param>
    /// <param name="preActivationGradient">dz, as many values; may be the same span as either source.</param>
    /// <exception cref="ArgumentException">
    /// The activation is not an <see cref="Activation"/>, the lengths differ, or the destination partly overlaps a source.
    /// </exception>
    public static void FromPreActivation(Activation activation, float negativeSlope, ReadOnlySpan<float> preActivation,
        ReadOnlySpan<float> outputGradient, Span<float> preActivationGradient)
    {
        Check(activation, preActivation, outputGradient, preActivationGradient, nameof(preActivation));
        Run<PreActivationRule>(activation, negativeSlope, preActivation, outputGradient, preActivationGradient);
    }

    private static void Check(Activation activation, ReadOnlySpan<float> values, ReadOnlySpan<float> outputGradient,
        Span<float> preActivationGradient, string valuesName)
    {
        if (activation is < Activation.None or > Activation.SiLU)
        {
            throw new ArgumentException($"Activation {(int)activation} is not an Activation.", nameof(activation));
        }

        if (outputGradient.Length != values.Length || preActivationGradient.Length != values.Length)
        {
            throw new ArgumentException(
                $"The {valuesName} span has {values.Length} elements, the output gradient {outputGradient.Length} and the pre-activation gradient {preActivationGradient.Length}; all three must be equal.",
                nameof(preActivationGradient));
        }

        if ((preActivationGradient.Overlaps(values, out int a) && a != 0) || (preActivationGradient.Overlaps(outputGradient, out int b) && b != 0))
        {
            throw new ArgumentException(
                $"The pre-activation gradient overlaps the {valuesName} or output gradient span at an offset; it may only be the same span.",
                nameof(preActivationGradient));
        }
    }

    private static void Run<TRule>(Activation kind, float slope, ReadOnlySpan<float> values, ReadOnlySpan<float> outputGradient, Span<float> result)
        where TRule : struct, IRule
    {
        if (kind == Activation.None)
        {
            // f′ = 1: a copy, unless the gradient is already where it goes.
            if (!result.Overlaps(outputGradient))
            {
                outputGradient.CopyTo(result);
            }

            return;
        }

        ref float v = ref MemoryMarshal.GetReference(values);
        ref float dy = ref MemoryMarshal.GetReference(outputGradient);
        ref float dz = ref MemoryMarshal.GetReference(result);
        nuint n = (nuint)values.Length;
        nuint i = 0;

        // Element-wise, loads before the store: in place works. A tail is finished at narrower widths, never by an
        // overlapping last vector (the in-place case would apply the derivative twice).
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<float>.Count)
        {
            i = Vectors<Grad512, Vector512<float>, TRule>(kind, slope, ref v, ref dy, ref dz, i, n);
        }

        if (Vector256.IsHardwareAccelerated && n - i >= (nuint)Vector256<float>.Count)
        {
            i = Vectors<Grad256, Vector256<float>, TRule>(kind, slope, ref v, ref dy, ref dz, i, n);
        }

        if (Vector128.IsHardwareAccelerated && n - i >= (nuint)Vector128<float>.Count)
        {
            i = Vectors<Grad128, Vector128<float>, TRule>(kind, slope, ref v, ref dy, ref dz, i, n);
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dz, i) = TRule.FromOutput
                ? ScalarFromOutput(kind, slope, Unsafe.Add(ref v, i), Unsafe.Add(ref dy, i))
                : ScalarFromPreActivation(kind, slope, Unsafe.Add(ref v, i), Unsafe.Add(ref dy, i));
        }
    }

    /// <summary>Whole vectors from <paramref name="i"/> while they fit; returns where they stopped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static nuint Vectors<TOps, TVec, TRule>(Activation kind, float slope, ref float v, ref float dy, ref float dz, nuint i, nuint n)
        where TOps : struct, IGradientVector<TVec>
        where TVec : struct
        where TRule : struct, IRule
    {
        nuint count = (nuint)TOps.Count;
        for (; i + count <= n; i += count)
        {
            TVec x = TOps.Load(ref v, i), g = TOps.Load(ref dy, i);
            TOps.Store(TRule.FromOutput ? VectorFromOutput<TOps, TVec>(kind, slope, x, g) : VectorFromPreActivation<TOps, TVec>(kind, slope, x, g), ref dz, i);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec VectorFromOutput<TOps, TVec>(Activation kind, float slope, TVec y, TVec dy)
        where TOps : struct, IGradientVector<TVec>
        where TVec : struct
    {
        TVec zero = TOps.Broadcast(0f), one = TOps.Broadcast(1f);
        switch (kind)
        {
            case Activation.ReLU:
                return TOps.Select(TOps.GreaterThan(y, zero), dy, zero);
            case Activation.ReLU6:
                return TOps.Select(TOps.And(TOps.GreaterThan(y, zero), TOps.LessThan(y, TOps.Broadcast(6f))), dy, zero);
            case Activation.LeakyReLU:
                return TOps.Select(TOps.GreaterThan(y, zero), dy, TOps.Multiply(dy, TOps.Broadcast(slope)));
            case Activation.Sigmoid:
                return TOps.Multiply(dy, TOps.Multiply(y, TOps.Subtract(one, y)));
            case Activation.Tanh:
                return TOps.Multiply(dy, TOps.Subtract(one, TOps.Multiply(y, y)));
            default:
                return dy;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec VectorFromPreActivation<TOps, TVec>(Activation kind, float slope, TVec z, TVec dy)
        where TOps : struct, IGradientVector<TVec>
        where TVec : struct
    {
        TVec zero = TOps.Broadcast(0f), one = TOps.Broadcast(1f);
        switch (kind)
        {
            case Activation.ReLU:
                return TOps.Select(TOps.GreaterThan(z, zero), dy, zero);
            case Activation.ReLU6:
                return TOps.Select(TOps.And(TOps.GreaterThan(z, zero), TOps.LessThan(z, TOps.Broadcast(6f))), dy, zero);
            case Activation.LeakyReLU:
                return TOps.Select(TOps.GreaterThan(z, zero), dy, TOps.Multiply(dy, TOps.Broadcast(slope)));
            case Activation.Sigmoid:
            {
                TVec s = TOps.Activate(z, Activation.Sigmoid);
                return TOps.Multiply(dy, TOps.Multiply(s, TOps.Subtract(one, s)));
            }

            case Activation.Tanh:
            {
                TVec t = TOps.Activate(z, Activation.Tanh);
                return TOps.Multiply(dy, TOps.Subtract(one, TOps.Multiply(t, t)));
            }

            case Activation.SiLU:
            {
                // Comparisons rather than Min/Max so that NaN passes through the same way on every width.
                TVec low = TOps.Broadcast(-SiLUClamp), high = TOps.Broadcast(SiLUClamp);
                z = TOps.Select(TOps.LessThan(z, low), low, z);
                z = TOps.Select(TOps.GreaterThan(z, high), high, z);
                TVec s = TOps.Activate(z, Activation.Sigmoid);
                return TOps.Multiply(dy, TOps.Multiply(s, TOps.Add(one, TOps.Multiply(z, TOps.Subtract(one, s)))));
            }

            default:
                return dy;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ScalarFromOutput(Activation kind, float slope, float y, float dy)
    {
        switch (kind)
        {
            case Activation.ReLU:
                return y > 0f ? dy : 0f;
            case Activation.ReLU6:
                return y > 0f && y < 6f ? dy : 0f;
            case Activation.LeakyReLU:
                return y > 0f ? dy : dy * slope;
            case Activation.Sigmoid:
                return dy * (y * (1f - y));
            case Activation.Tanh:
                return dy * (1f - y * y);
            default:
                return dy;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ScalarFromPreActivation(Activation kind, float slope, float z, float dy)
    {
        switch (kind)
        {
            case Activation.ReLU:
                return z > 0f ? dy : 0f;
            case Activation.ReLU6:
                return z > 0f && z < 6f ? dy : 0f;
            case Activation.LeakyReLU:
                return z > 0f ? dy : dy * slope;
            case Activation.Sigmoid:
            {
                float s = ActivationFunctions.Apply(z, Activation.Sigmoid, 0f);
                return dy * (s * (1f - s));
            }

            case Activation.Tanh:
            {
                float t = ActivationFunctions.Apply(z, Activation.Tanh, 0f);
                return dy * (1f - t * t);
            }

            case Activation.SiLU:
            {
                z = z < -SiLUClamp ? -SiLUClamp : z;
                z = z > SiLUClamp ? SiLUClamp : z;
                float s = ActivationFunctions.Apply(z, Activation.Sigmoid, 0f);
                return dy * (s * (1f + z * (1f - s)));
            }

            default:
                return dy;
        }
    }

    /// <summary>Which values the caller passed: outputs y or pre-activations z (a JIT-time constant per instantiation).</summary>
    private interface IRule
    {
        static abstract bool FromOutput { get; }
    }

    private readonly struct OutputRule : IRule
    {
        public static bool FromOutput => true;
    }

    private readonly struct PreActivationRule : IRule
    {
        public static bool FromOutput => false;
    }

    /// <summary>The vector operations the derivatives need, one struct per width so each gets its own compiled copy.</summary>
    private interface IGradientVector<TVec>
        where TVec : struct
    {
        static abstract int Count { get; }

        static abstract TVec Load(ref float source, nuint offset);

        static abstract void Store(TVec value, ref float destination, nuint offset);

        static abstract TVec Broadcast(float value);

        static abstract TVec Add(TVec a, TVec b);

        static abstract TVec Subtract(TVec a, TVec b);

        static abstract TVec Multiply(TVec a, TVec b);

        /// <summary>All bits set in the lanes where a &gt; b (false for NaN).</summary>
        static abstract TVec GreaterThan(TVec a, TVec b);

        /// <summary>All bits set in the lanes where a &lt; b (false for NaN).</summary>
        static abstract TVec LessThan(TVec a, TVec b);

        static abstract TVec And(TVec a, TVec b);

        /// <summary>a where the mask is set, else b.</summary>
        static abstract TVec Select(TVec mask, TVec a, TVec b);

        /// <summary><see cref="ActivationFunctions"/>' activation at this width.</summary>
        static abstract TVec Activate(TVec x, Activation kind);
    }

    private readonly struct Grad512 : IGradientVector<Vector512<float>>
    {
        public static int Count => Vector512<float>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Load(ref float source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector512<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> GreaterThan(Vector512<float> a, Vector512<float> b) => Vector512.GreaterThan(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> LessThan(Vector512<float> a, Vector512<float> b) => Vector512.LessThan(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> And(Vector512<float> a, Vector512<float> b) => a & b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Select(Vector512<float> mask, Vector512<float> a, Vector512<float> b) => Vector512.ConditionalSelect(mask, a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Activate(Vector512<float> x, Activation kind) => ActivationFunctions.Apply(x, kind, 0f);
    }

    private readonly struct Grad256 : IGradientVector<Vector256<float>>
    {
        public static int Count => Vector256<float>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Load(ref float source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector256<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> GreaterThan(Vector256<float> a, Vector256<float> b) => Vector256.GreaterThan(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> LessThan(Vector256<float> a, Vector256<float> b) => Vector256.LessThan(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> And(Vector256<float> a, Vector256<float> b) => a & b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Select(Vector256<float> mask, Vector256<float> a, Vector256<float> b) => Vector256.ConditionalSelect(mask, a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Activate(Vector256<float> x, Activation kind) => ActivationFunctions.Apply(x, kind, 0f);
    }

    private readonly struct Grad128 : IGradientVector<Vector128<float>>
    {
        public static int Count => Vector128<float>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Load(ref float source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector128<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> GreaterThan(Vector128<float> a, Vector128<float> b) => Vector128.GreaterThan(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> LessThan(Vector128<float> a, Vector128<float> b) => Vector128.LessThan(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> And(Vector128<float> a, Vector128<float> b) => a & b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Select(Vector128<float> mask, Vector128<float> a, Vector128<float> b) => Vector128.ConditionalSelect(mask, a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Activate(Vector128<float> x, Activation kind) => ActivationFunctions.Apply(x, kind, 0f);
    }
}
