import { useSignedIn } from "../state";
import { A } from "../ui/parts";
import { Keypad } from "../ui/pictures";

export function Home() {
  const signedIn = useSignedIn();
  return (
    <section aria-labelledby="home-title" class="home">
      <h1 id="home-title">Your doors, and a way back in</h1>
      <p class="lead">Unlock from your phone, manage your codes and your guests' codes, and get help when you are locked out.</p>
      <div class="home-actions">
        <A href="/locked-out" class="button urgent big">I'm locked out</A>
        {signedIn ? <A href="/locks" class="button big">My doors</A> : <A href="/sign-in" class="button primary big">Sign in</A>}
      </div>
      <div class="home-hint">
        <Keypad mode="x" title="Keypad with 1, 3, 5, 7 and 9 lit in an X" />
        <p>Keypad showing an X like this? The bolt is stuck, not your code. Push or pull the door while you enter your code.</p>
      </div>
    </section>
  );
}
