// A labelled <select> over a fixed list of values (a VOC type, a priority, a step…), each shown in the
// person's language; optionally with a first "none" / "all" choice that stands for no value.
export function ChoiceSelect<V extends string>(props: {
  label: string;
  testId: string;
  values: readonly V[];
  value: V | null;
  labelOf(value: V): string;
  onChange(value: V | null): void;
  /** The first option's words, standing for no value; without it one of `values` is always chosen. */
  none?: string;
  className?: string;
}) {
  const { values, labelOf, onChange } = props;
  return (
    <label className={props.className}>
      {props.label}
      <select data-testid={props.testId} value={props.value ?? ''} onChange={(e) => onChange(values.find((v) => v === e.target.value) ?? null)}>
        {props.none !== undefined && <option value="">{props.none}</option>}
        {values.map((v) => (
          <option key={v} value={v}>
            {labelOf(v)}
          </option>
        ))}
      </select>
    </label>
  );
}
