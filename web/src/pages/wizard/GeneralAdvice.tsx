// When the server cannot diagnose the door (unreachable, or not offering diagnosis yet), what
// anyone can safely try from what they see: DESIGN.md's guidance, nothing made up about the door.
import { Symptom } from "../../api/lockout";
import { A } from "../../ui/parts";

export function GeneralAdvice({ symptoms, door }: { symptoms: Symptom[]; door: { site: string; door: string } }) {
  const has = (s: Symptom) => symptoms.includes(s);
  return (
    <div class="advice">
      <h2>What you can try now</h2>
      <p class="hint">General advice from what you told us; we could not check the lock itself.</p>
      <ol class="plan">
        {(has("keypad_x_pattern") || has("unusual_beep") || has("motor_runs_bolt_stuck")) && (
          <li>
            <h3>Push or pull the door while entering your code</h3>
            <p>
              The X of 1 3 5 7 9 means the bolt is stuck against the frame. Your code is fine: push or pull the door firmly
              toward the frame while you enter it, and keep the pressure on until you hear the bolt move.
            </p>
          </li>
        )}
        {has("keypad_dark") && (
          <li>
            <h3>Use your key</h3>
            <p>A dark keypad usually means an empty battery. Your physical key still turns the bolt.</p>
          </li>
        )}
        {has("lock_offline_in_app") && (
          <li>
            <h3>Use your code or your key</h3>
            <p>When the app shows Offline, the keypad, Bluetooth and the key still work at the door.</p>
          </li>
        )}
        <li>
          <h3>Contact the building's manager</h3>
          <p>They can see the door and your access. Give them the building code <strong>{door.site}</strong> and your door <strong>{door.door}</strong>.</p>
        </li>
      </ol>
      <p><A href="/sign-in">Sign in</A> if you can: the app may unlock the door for you.</p>
    </div>
  );
}
