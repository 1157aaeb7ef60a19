package dev.signet.challenge.token;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.challenge.token.TokenVerification.Reason;
import java.text.ParseException;

/**
 * ES256 signatures of every Signet token, with the configured keys: signs with the active key and
 * only ever issues the low-S spelling; checks a token's algorithm (ES256 only), key id and
 * signature (low S only) before anything reads its claims.
 */
final class TokenSigner {

  private final SigningKeys keys;

  TokenSigner(SigningKeys keys) {
    this.keys = keys;
  }

  String sign(String type, JWTClaimsSet set) {
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.ES256)
            .keyID(keys.activeKeyId())
            .type(new JOSEObjectType(type))
            .build();
    SignedJWT jwt = new SignedJWT(header, set);
    try {
      jwt.sign(keys.signer());
    } catch (JOSEException e) {
      throw new IllegalStateException("Cannot sign a token with key " + keys.activeKeyId(), e);
    }
    // The JCA signer may emit either of the two valid S values; only the low one is ever issued,
    // so that verification can refuse the other and a token has exactly one spelling.
    byte[] signature = jwt.getSignature().decode();
    LowS.normalise(signature);
    return jwt.getHeader().toBase64URL()
        + "."
        + jwt.getPayload().toBase64URL()
        + "."
        + Base64URL.encode(signature);
  }

  /** A parsed token whose algorithm, key and signature checked out, or why they did not. */
  record Signed(SignedJWT jwt, Reason rejection) {}

  Signed checkSignature(String token) {
    if (token == null || token.isEmpty() || token.length() > TokenService.MAX_TOKEN_LENGTH) {
      return new Signed(null, Reason.MALFORMED);
    }
    int dot = token.indexOf('.');
    if (dot <= 0) {
      return new Signed(null, Reason.MALFORMED);
    }
    Header header;
    try {
      header = Header.parse(new Base64URL(token.substring(0, dot)));
    } catch (ParseException | RuntimeException e) {
      return new Signed(null, Reason.MALFORMED);
    }
    if (!(header instanceof JWSHeader) || !JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
      return new Signed(null, Reason.ALGORITHM_NOT_ALLOWED);
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException | RuntimeException e) {
      return new Signed(null, Reason.MALFORMED);
    }
    JWSVerifier verifier = keys.verifier(jwt.getHeader().getKeyID());
    if (verifier == null) {
      return new Signed(null, Reason.UNKNOWN_KID);
    }
    boolean signed;
    try {
      // A high-S twin of a genuine signature verifies mathematically; it is refused so that a
      // token cannot be re-spelled (new bytes, same claims) past byte-level replay checks.
      signed = LowS.isLowS(jwt.getSignature().decode()) && jwt.verify(verifier);
    } catch (JOSEException | RuntimeException e) {
      signed = false;
    }
    return signed ? new Signed(jwt, null) : new Signed(null, Reason.BAD_SIGNATURE);
  }
}
